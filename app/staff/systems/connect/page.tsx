import type { Metadata } from "next";
import { Link } from "@/app/_components/link";
import { requireStaff } from "@/server/viewer";
import { ConnectedSystemForm } from "../connected-system-form";

export const metadata: Metadata = { title: "Connect a database or list server" };

export default async function ConnectSystemPage() {
  // Admins only: for anyone else this is the same "not found" as a page that does not exist.
  await requireStaff("/staff/systems/connect", ["admin"]);
  return (
    <>
      <p>
        <Link href="/staff/systems">Outside systems</Link>
      </p>
      <h1>Connect a database or list server</h1>
      <p>
        A PostgreSQL or MySQL/MariaDB database, with a dataset map saying where a supporter is found and what each column
        holds (see &ldquo;Dataset maps&rdquo; in the README), or a Mailman 3 list server. Rightsdesk connects and checks
        everything before saving: the server answers, and every table and column of the map exists in the database.
      </p>
      <ConnectedSystemForm />
    </>
  );
}
