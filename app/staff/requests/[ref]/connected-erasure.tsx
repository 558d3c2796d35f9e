import { getDb } from "@/db/client";
import { connectedErasureCounts } from "@/lib/requests/fulfilment/connected-dry-run";
import { connectorOptions } from "@/server/connectors";
import { getSettings } from "@/server/settings";
import { TableScroll } from "@/app/_components/table-scroll";

/**
 * The erasure's dry run in every connected system, counted as the page is
 * shown (read-only there). Rendered inside a Suspense boundary, so the rest
 * of the page does not wait for it.
 */
export async function ConnectedErasure({ email }: { email: string }) {
  const counts = await connectedErasureCounts(getDb(), { email, now: new Date(), timeZone: getSettings().timeZone }, connectorOptions());
  if (counts.length === 0) return null;
  return (
    <section aria-labelledby="connected-erasure-heading">
      <h3 id="connected-erasure-heading">In connected systems</h3>
      <p>Counted just now, changing nothing. After approval each system&apos;s deletions run there in one step of its own; a system that is down keeps its task open and is tried again.</p>
      {counts.map((c) =>
        !c.ok ? (
          <p key={c.system} className="notice warning">
            <strong>{c.system}</strong>: could not count. {c.reason}
          </p>
        ) : c.counts ? (
          <TableScroll key={c.system} label={`${c.system}: what approval does there`}>
            <table data-testid="connected-erasure">
              <caption>{c.system}</caption>
              <thead>
                <tr>
                  <th scope="col">Table</th>
                  <th scope="col">Deleted</th>
                  <th scope="col">Anonymised</th>
                  <th scope="col">Kept</th>
                </tr>
              </thead>
              <tbody>
                {c.counts.map((t) => (
                  <tr key={t.table}>
                    <td>{t.label}</td>
                    <td>{t.deleted}</td>
                    <td>{t.masked}</td>
                    <td>
                      {t.kept}
                      {t.keptWhy ? ` (${t.keptWhy})` : ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        ) : (
          <p key={c.system}>
            <strong>{c.system}</strong>: {c.summary}
          </p>
        ),
      )}
    </section>
  );
}
