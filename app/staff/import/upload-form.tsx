"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState, type ChangeEvent } from "react";
import { ErrorSummary, Field, useFocusOnRefusal } from "@/app/_components/form-bits";
import { MAX_IMPORT_BYTES, TOO_LARGE } from "@/lib/supporters/import/import-form";
import type { ActionState } from "@/server/action";
import { importAction } from "./actions";

export function UploadForm() {
  const [state, action, pending] = useActionState<ActionState, FormData>(importAction, null);
  const summary = useFocusOnRefusal<HTMLDivElement>(state);
  const [chosen, setChosen] = useState<{ name: string; tooLarge: boolean } | null>(null);
  const router = useRouter();
  // Once a file is on its way, the form starts empty again, and the page follows that import.
  const job = state?.ok ? state.values?.job : undefined;
  useEffect(() => {
    if (!state?.ok) return;
    setChosen(null);
    if (job) router.replace(`/staff/import?job=${job}`, { scroll: false });
  }, [state, job, router]);

  // The file goes up as a file, so its size is its own bytes; one too large is stopped here, before the upload.
  function choose(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    setChosen(file ? { name: file.name, tooLarge: file.size > MAX_IMPORT_BYTES } : null);
  }

  const fileError = chosen?.tooLarge ? TOO_LARGE : state?.fieldErrors?.file;
  return (
    <>
      <form action={action} className="stacked" noValidate key={state?.ok ? JSON.stringify(state) : undefined}>
        <ErrorSummary ref={summary} message={state?.ok === false ? state.message : undefined} fieldErrors={fileError ? { file: fileError } : undefined} labels={{ file: "CSV file" }} />
        <Field name="file" label="CSV file" hint="The whole file is imported, or nothing if any row has a problem. At most 8 MB." error={fileError}>
          {(p) => <input type="file" name="file" accept=".csv,text/csv" onChange={choose} {...p} />}
        </Field>
        <div>
          <button className="primary" type="submit" disabled={pending || !chosen || chosen.tooLarge}>
            {pending ? "Uploading…" : "Import"}
          </button>
        </div>
      </form>
      {/* Once uploaded, the import's own panel below says how it goes. */}
      <div role="status">{pending ? <p className="notice">Uploading {chosen?.name}…</p> : null}</div>
    </>
  );
}
