import type { Metadata } from "next";
import { Link } from "@/app/_components/link";
import { getDb } from "@/db/client";
import { CONNECTOR_KIND_LABELS } from "@/lib/systems/connectors/connection-settings";
import { isConnectorKind } from "@/lib/systems/connectors/connected-systems";
import { listSystems } from "@/lib/systems/external-systems";
import { requireStaff } from "@/server/viewer";
import { AddSystemForm } from "./add-system-form";
import { NewSecretForm } from "./new-secret-form";
import { ToggleSystemForm } from "./toggle-form";
import { TableScroll } from "@/app/_components/table-scroll";

export const metadata: Metadata = { title: "Outside systems" };

export default async function SystemsPage() {
  // Admins only: for anyone else this is the same "not found" as a page that does not exist.
  await requireStaff("/staff/systems", ["admin"]);
  const systems = listSystems(getDb());
  return (
    <>
      <h1>Outside systems</h1>
      <p>
        The other places supporter data lives. When an access, correction or erasure request is approved, each system that
        is switched on gets a task, and the request cannot complete until every task is done. Connected databases and
        list servers are reached directly: Rightsdesk gathers, corrects, erases and unsubscribes there itself.
      </p>
      <h2>Add a webhook or manual system</h2>
      <AddSystemForm />
      <h2>Connect a database or list server</h2>
      <p>
        A PostgreSQL or MySQL/MariaDB database (with a dataset map saying where a supporter is found and what each column
        holds; CiviCRM&apos;s is ready), or a Mailman 3 list server.{" "}
        <Link href="/staff/systems/connect">Connect a database or list server</Link>
      </p>
      <h2 id="systems-heading">Systems</h2>
      {systems.length === 0 ? (
        <p>None yet.</p>
      ) : (
        <TableScroll labelledBy="systems-heading">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Address</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Change</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {systems.map((s) => (
                <tr key={s.id}>
                  <td>{isConnectorKind(s.kind) ? <Link href={`/staff/systems/${s.id}`}>{s.name}</Link> : s.name}</td>
                  <td>{isConnectorKind(s.kind) ? CONNECTOR_KIND_LABELS[s.kind] : s.kind}</td>
                  <td>{s.url ?? (isConnectorKind(s.kind) ? "connected directly" : "")}</td>
                  <td>{s.active ? "on" : "off"}</td>
                  <td>
                    <ToggleSystemForm id={s.id} name={s.name} active={s.active} />
                    {s.kind === "webhook" ? <NewSecretForm id={s.id} name={s.name} /> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}
