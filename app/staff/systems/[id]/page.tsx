import type { Metadata } from "next";
import { Link } from "@/app/_components/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { CONNECTOR_KIND_LABELS, type DatabaseSettings, type MailmanSettings } from "@/lib/systems/connectors/connection-settings";
import { listConnectedSystems } from "@/lib/systems/connectors/connected-systems";
import { recentPreviews } from "@/lib/systems/connectors/preview";
import { formatInstant } from "@/lib/calendar/format";
import { getSettings } from "@/server/settings";
import { requireStaff } from "@/server/viewer";
import { ConnectedSystemForm } from "../connected-system-form";
import { PreviewForm, TestConnectionForm } from "../connected-tools";

export const metadata: Metadata = { title: "Connected system" };

export default async function ConnectedSystemPage({ params }: { params: Promise<{ id: string }> }) {
  const { id: raw } = await params;
  // Admins only: for anyone else this is the same "not found" as a page that does not exist.
  await requireStaff(`/staff/systems/${encodeURIComponent(raw)}`, ["admin"]);
  if (!/^\d{1,9}$/.test(raw)) notFound();
  const system = listConnectedSystems(getDb()).find((s) => s.id === Number(raw));
  if (!system) notFound();
  const timeZone = getSettings().timeZone;
  const looks = recentPreviews(getDb(), system.id);
  const db = system.kind === "mailman" ? null : (system.settings as DatabaseSettings);
  return (
    <>
      <p>
        <Link href="/staff/systems">Outside systems</Link>
      </p>
      <h1>{system.name}</h1>
      <p>
        {CONNECTOR_KIND_LABELS[system.kind]} at {system.where}. {system.active ? "Switched on." : "Switched off: it gets no work."}
        {system.mapCheckedAt ? ` The map last passed the check on ${formatInstant(system.mapCheckedAt, timeZone)}.` : ""}
      </p>
      <h2>Test connection</h2>
      <TestConnectionForm id={system.id} />
      <h2>Preview for one address</h2>
      <p>What an access export would hold from this system, and what an erasure would do there, changing nothing.</p>
      <PreviewForm id={system.id} />
      {looks.length > 0 ? (
        <>
          <h3>Recent previews</h3>
          <ul>
            {looks.map((l, i) => (
              <li key={i}>
                {formatInstant(l.at, timeZone)}, {l.staffEmail}: {l.outcome}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>Change it</h2>
      <ConnectedSystemForm
        initial={{
          id: system.id,
          name: system.name,
          kind: system.kind,
          user: system.settings.user,
          ...(db
            ? { host: db.host, port: String(db.port), database: db.database, schema: db.schema, tls: db.tls, map: system.mapText ?? "" }
            : { url: (system.settings as MailmanSettings).url }),
        }}
      />
    </>
  );
}
