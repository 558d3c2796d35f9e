"use client";

import { Link } from "@/app/_components/link";
import { usePathname } from "next/navigation";

/** The dashboard's links for a role: an auditor reads the queue and the reports, and records nothing. */
export function StaffNav({ role }: { role: "admin" | "reviewer" | "auditor" }) {
  const pathname = usePathname();
  const isAdmin = role === "admin";
  const links = [
    { href: "/staff", label: "Queue", current: pathname === "/staff" || (pathname.startsWith("/staff/requests/") && pathname !== "/staff/requests/new") },
    ...(role === "auditor" ? [] : [{ href: "/staff/requests/new", label: "Record a request", current: pathname === "/staff/requests/new" }]),
    { href: "/staff/reports", label: "Reports", current: pathname.startsWith("/staff/reports") },
    { href: "/staff/account", label: "Your account", current: pathname.startsWith("/staff/account") },
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
