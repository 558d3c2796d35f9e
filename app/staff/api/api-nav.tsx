import { Link } from "@/app/_components/link";

/** The three parts of the page for other programs. */
export function ApiNav({ current }: { current: "keys" | "subscriptions" | "agents" }) {
  const links = [
    { id: "keys", href: "/staff/api", label: "API keys" },
    { id: "subscriptions", href: "/staff/api/subscriptions", label: "Event subscriptions" },
    { id: "agents", href: "/staff/api/agents", label: "Authorised agents" },
  ] as const;
  return (
    <nav className="subnav" aria-label="Other programs">
      {links.map((l) => (
        <Link key={l.id} href={l.href} aria-current={l.id === current ? "page" : undefined}>
          {l.label}
        </Link>
      ))}
      <Link href="/developers">API reference</Link>
    </nav>
  );
}
