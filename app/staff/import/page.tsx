import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { formatInstant } from "@/lib/calendar/format";
import { listImportJobs } from "@/lib/supporters/import/import-jobs";
import { CHANGE_CORRECTED_VALUE } from "@/lib/supporters/import/import-records";
import { EXAMPLE_CSV, LAYOUT, RECORD_KINDS } from "@/lib/supporters/import/layout";
import { importProgress } from "@/server/import-runner";
import { getSettings } from "@/server/settings";
import { requireStaff } from "@/server/viewer";
import { ImportJobs, type ImportJobItem } from "./import-jobs";
import { UploadForm } from "./upload-form";
import { TableScroll } from "@/app/_components/table-scroll";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Import supporter records" };

export default async function ImportPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // Admins only: for anyone else this is the same "not found" as a page that does not exist.
  await requireStaff("/staff/import", ["admin"]);
  const { timeZone } = getSettings();
  const jobs: ImportJobItem[] = listImportJobs(getDb()).map((job) => ({
    id: job.id,
    filename: job.filename,
    importedBy: job.importedBy,
    status: job.status,
    started: formatInstant(job.createdAt, timeZone),
    finished: job.finishedAt ? formatInstant(job.finishedAt, timeZone) : null,
    progress: job.status === "running" ? importProgress(job.id) : null,
    report: job.report,
    changeCorrected: CHANGE_CORRECTED_VALUE,
  }));
  // The import this page follows: the one just uploaded (?job=N), else the latest.
  const asked = (await searchParams).job;
  const followed = typeof asked === "string" && /^\d{1,9}$/.test(asked) ? Number(asked) : null;
  return (
    <>
      <h1>Import supporter records</h1>
      <p>
        Upload a CSV file exported from your other systems. Every row is checked first: if any row has a problem, nothing is
        imported and every problem is counted, the first 500 listed with their line numbers. Importing the same file again changes nothing, and a
        value a supporter had corrected through a request stays corrected until the file brings a new value for it. Rows
        for an address that asked to be erased are skipped and never stored. A large file is imported in the background:
        its progress shows here, and the rest of the portal carries on meanwhile. The same import runs on the server with{" "}
        <code>npm run import -- FILE.csv</code>.
      </p>
      <UploadForm />
      <ImportJobs jobs={jobs} followed={followed} />

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
          <TableScroll label={`Columns of a ${kind} row`}>
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
          </TableScroll>
        </section>
      ))}
      <h3>Example</h3>
      <pre className="example" style={{ overflowX: "auto" }} role="region" aria-label="Example file" tabIndex={0}>
        {EXAMPLE_CSV}
      </pre>
    </>
  );
}
