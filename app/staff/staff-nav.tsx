"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export function StaffNav({ isAdmin }: { isAdmin: boolean }) {
  const pathname = usePathname();
  const links = [
    { href: "/staff", label: "Queue", current: pathname === "/staff" || (pathname.startsWith("/staff/requests/") && pathname !== "/staff/requests/new") },
    { href: "/staff/requests/new", label: "Record a request", current: pathname === "/staff/requests/new" },
    { href: "/staff/reports", label: "Reports", current: pathname.startsWith("/staff/reports") },
    ...(isAdmin
      ? [
          { href: "/staff/team", label: "Team", current: pathname.startsWith("/staff/team") },
          { href: "/staff/mail", label: "Mail", current: pathname.startsWith("/staff/mail") },
          { href: "/staff/import", label: "Import", current: pathname.startsWith("/staff/import") },
          { href: "/staff/lists", label: "Lists", current: pathname.startsWith("/staff/lists") },
          { href: "/staff/systems", label: "Outside systems", current: pathname.startsWith("/staff/systems") },
          { href: "/staff/api", label: "Other programs", current: pathname.startsWith("/staff/api") },
          { href: "/staff/settings", label: "Settings", current: pathname.startsWith("/staff/settings") },
        ]
      : []),
  ];
  return (
    <nav className="subnav" aria-label="Staff">
      {links.map((l) => (
        <Link key={l.href} href={l.href} aria-current={l.current ? "page" : undefined}>
          {l.label}
        </Link>
      ))}
    </nav>
  );
}
