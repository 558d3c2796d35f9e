"use client";

import { useActionState } from "react";
import { ErrorSummary, Field, useFocusOnRefusal } from "@/app/_components/form-bits";
import type { OrgStatement } from "@/lib/org/statement";
import type { ActionState } from "@/server/action";
import { saveStatementAction } from "./actions";

const SECTIONS: { name: Exclude<keyof OrgStatement, "donationRetentionYears">; label: string; hint: string }[] = [
  { name: "purposes", label: "Purposes", hint: "Why you hold supporters' data. One point per line." },
  { name: "recipients", label: "Recipients", hint: "Who receives it: processors, partners, authorities. One per line." },
  { name: "retention", label: "Retention", hint: "How long each kind of record is kept. One per line." },
  { name: "sources", label: "Sources", hint: "Where the data comes from. One per line." },
  { name: "rights", label: "Rights", hint: "The supporter's rights. If it does not mention complaining to the supervisory authority, that right is added, naming the authority in COMPLAINT_AUTHORITY when it is set." },
];

const LABELS: Record<string, string> = { ...Object.fromEntries(SECTIONS.map((s) => [s.name, s.label])), donationRetentionYears: "Donation retention" };

export function StatementForm({ statement }: { statement: OrgStatement }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(saveStatementAction, null);
  const summary = useFocusOnRefusal<HTMLDivElement>(state);
  const errors = state?.fieldErrors ?? {};
  const values: Record<string, string> = state?.values ?? Object.fromEntries(Object.entries(statement).map(([k, v]) => [k, String(v)]));
  return (
    <form action={action} className="stacked" noValidate key={JSON.stringify(values)}>
      <ErrorSummary ref={summary} message={state?.ok === false ? state.message : undefined} fieldErrors={errors} labels={LABELS} />
      <div role="status">{state?.ok ? <p className="notice success">{state.message}</p> : null}</div>
      {SECTIONS.map((s) => (
        <Field key={s.name} name={s.name} label={s.label} hint={s.hint} error={errors[s.name]}>
          {(p) => <textarea name={s.name} rows={6} defaultValue={values[s.name]} {...p} />}
        </Field>
      ))}
      <Field
        name="donationRetentionYears"
        label="Donation retention (years)"
        hint="How long donation records are kept for tax after an erasure, without the donor's name or contact details."
        error={errors.donationRetentionYears}
      >
        {(p) => <input type="text" inputMode="numeric" name="donationRetentionYears" defaultValue={values.donationRetentionYears} {...p} />}
      </Field>
      <div>
        <button className="primary" type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save statement"}
        </button>
      </div>
    </form>
  );
}
