"use client";

import { useActionState, useState, type ChangeEvent } from "react";
import { ErrorSummary, Field } from "@/app/_components/form-bits";
import type { ImportState } from "@/lib/supporters/import/import-form";
import type { ActionState } from "@/server/action";
import { importAction } from "./actions";

export function UploadForm() {
  const [state, action, pending] = useActionState<ActionState, FormData>(importAction, null);
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const result = state as ImportState | null;

  // The file is read here and sent as text, so the server sees exactly what was chosen.
  async function choose(event: ChangeEvent<HTMLInputElement>) {
    const chosen = event.target.files?.[0];
    setFile(chosen ? { name: chosen.name, text: await chosen.text() } : null);
  }

  return (
    <>
      <form action={action} className="stacked" noValidate>
        <ErrorSummary message={result?.ok === false && !result.lines ? result.message : undefined} fieldErrors={result?.fieldErrors} labels={{ file: "CSV file" }} />
        <Field name="file" label="CSV file" hint="The whole file is imported, or nothing if any row has a problem." error={result?.fieldErrors?.file}>
          {(p) => <input type="file" accept=".csv,text/csv" onChange={choose} {...p} />}
        </Field>
        <input type="hidden" name="csv" value={file?.text ?? ""} />
        <input type="hidden" name="filename" value={file?.name ?? ""} />
        <div>
          <button className="primary" type="submit" disabled={pending || !file}>
            {pending ? "Importing…" : "Import"}
          </button>
        </div>
      </form>
      <div role="status" aria-live="polite">
        {pending ? <p className="notice">Importing {file?.name}; large files take a moment…</p> : null}
        {!pending && result?.lines ? <ImportResult result={result} /> : null}
      </div>
    </>
  );
}

function ImportResult({ result }: { result: ImportState }) {
  const lines = result.lines ?? [];
  return (
    <section className={`notice ${result.ok ? "success" : "error"}`} aria-labelledby="import-result">
      <h2 id="import-result">{result.ok ? "Import complete" : "Nothing was imported"}</h2>
      <p>{result.message}</p>
      {result.counts ? (
        <dl className="facts">
          <dt>Created</dt>
          <dd>{result.counts.created}</dd>
          <dt>Updated</dt>
          <dd>{result.counts.updated}</dd>
          <dt>Unchanged</dt>
          <dd>{result.counts.unchanged}</dd>
          <dt>Skipped</dt>
          <dd>{result.counts.skipped}</dd>
        </dl>
      ) : null}
      {lines.length > 0 ? (
        <ul className="import-lines">
          {lines.slice(0, 200).map((p) => (
            <li key={`${p.line}-${p.reason}`}>
              Line {p.line}: {p.reason}
            </li>
          ))}
          {lines.length > 200 ? <li>…and {lines.length - 200} more.</li> : null}
        </ul>
      ) : null}
    </section>
  );
}
