import type { Metadata } from "next";
import { EXAMPLE_CSV, LAYOUT, RECORD_KINDS } from "@/lib/supporters/import/layout";
import { requireStaff } from "@/server/viewer";
import { UploadForm } from "./upload-form";

export const metadata: Metadata = { title: "Import supporter records" };

export default async function ImportPage() {
  // Admins only: for anyone else this is the same "not found" as a page that does not exist.
  await requireStaff("/staff/import", ["admin"]);
  return (
    <>
      <h1>Import supporter records</h1>
      <p>
        Upload a CSV file exported from your other systems. Every row is checked first: if any row has a problem, nothing is
        imported and each problem is listed with its line number. Importing the same file again changes nothing. Rows for
        an address that asked to be erased are skipped and never stored. The same import runs on the server with{" "}
        <code>npm run import -- FILE.csv</code>, which also shows progress for large files.
      </p>
      <UploadForm />

      <h2>The file&apos;s layout</h2>
      <p>
        The first line is the header. Each row has a <code>kind</code> column saying what it is, and uses the columns of that
        kind; other columns are left empty, and columns no row uses can be left out of the header. Fields holding commas,
        quotes or line breaks are quoted (<code>&quot;1 High Street, London&quot;</code>), with a quote inside written twice.
        The file is UTF-8; a byte-order mark is fine. <code>external_id</code> is the record&apos;s id in the system it
        came from: a row with an id already imported updates that record. Full card numbers are refused anywhere in a row.
      </p>
      {RECORD_KINDS.map((kind) => (
        <section key={kind} aria-labelledby={`kind-${kind}`}>
          <h3 id={`kind-${kind}`}>
            <code>{kind}</code>
          </h3>
          {/* Focusable and named, so that keyboard users can scroll it where it is wider than a phone. */}
          <div className="table-scroll" role="region" aria-label={`Columns of a ${kind} row`} tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">Column</th>
                  <th scope="col">Required</th>
                  <th scope="col">Meaning</th>
                </tr>
              </thead>
              <tbody>
                {LAYOUT[kind].map((c) => (
                  <tr key={c.column}>
                    <td>
                      <code>{c.column}</code>
                    </td>
                    <td>{c.required ? "yes" : "no"}</td>
                    <td>{c.meaning}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
      <h3>Example</h3>
      <pre className="example" style={{ overflowX: "auto" }} role="region" aria-label="Example file" tabIndex={0}>
        {EXAMPLE_CSV}
      </pre>
    </>
  );
}
