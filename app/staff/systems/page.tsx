import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { listSystems } from "@/lib/systems/external-systems";
import { requireStaff } from "@/server/viewer";
import { AddSystemForm } from "./add-system-form";
import { ToggleSystemForm } from "./toggle-form";

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
        is switched on gets a task, and the request cannot complete until every task is done.
      </p>
      <h2>Add a system</h2>
      <AddSystemForm />
      <h2>Systems</h2>
      {systems.length === 0 ? (
        <p>None yet.</p>
      ) : (
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
                <td>{s.name}</td>
                <td>{s.kind}</td>
                <td>{s.url ?? ""}</td>
                <td>{s.active ? "on" : "off"}</td>
                <td>
                  <ToggleSystemForm id={s.id} name={s.name} active={s.active} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
