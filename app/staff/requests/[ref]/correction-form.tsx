"use client";

import { useActionState, useId } from "react";
import { ErrorSummary, useFocusOnRefusal } from "@/app/_components/form-bits";
import type { ActionState } from "@/server/action";

export type CorrectionField = { field: string; label: string; proposed: string; decision: "accepted" | "rejected" | null; note: string | null };

/**
 * Every proposed change of a correction in one form: for each, accept or
 * reject (nothing chosen until staff choose) and a note, saved together.
 * What was typed or chosen survives a refusal.
 */
export function CorrectionForm({
  action,
  reference,
  version,
  fields,
}: {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  reference: string;
  version: number;
  fields: CorrectionField[];
}) {
  const [state, formAction, pending] = useActionState<ActionState, FormData>(action, null);
  const id = useId();
  const summary = useFocusOnRefusal<HTMLDivElement>(state);
  const errors = state?.fieldErrors ?? {};
  const values = state?.values;
  const problem = state && !state.ok ? (errors.decisions ?? errors.version ?? errors.reference ?? state.message) : undefined;
  // A choice or a note in trouble is listed by name, linking to it; otherwise the form's one problem is said.
  const labels = Object.fromEntries(fields.flatMap((f) => [[`decision_${f.field}`, f.label], [`note_${f.field}`, `Note on ${f.label.toLowerCase()}`]]));
  const onFields = Object.fromEntries(Object.entries(errors).filter(([name]) => name in labels));
  return (
    <form action={formAction} className="stacked workflow-form" key={JSON.stringify(values ?? {})}>
      <p className="hint">
        Choose for each change, then save. Anything left unchosen stays undecided. A rejection needs a note; notes are sent to the supporter.
      </p>
      <ErrorSummary ref={summary} message={problem} fieldErrors={onFields} labels={labels} />
      <input type="hidden" name="reference" value={reference} />
      <input type="hidden" name="version" value={version} />
      {fields.map((f) => {
        const choice = values ? values[`decision_${f.field}`] : (f.decision ?? undefined);
        const noteError = errors[`note_${f.field}`];
        const choiceError = errors[`decision_${f.field}`];
        return (
          <fieldset key={f.field} id={`field-decision_${f.field}`} className="decision" aria-describedby={choiceError ? `${id}-${f.field}-choice-error` : undefined}>
            <legend>
              {f.label}: change to “{f.proposed}”
            </legend>
            {choiceError ? (
              <p className="field-error" id={`${id}-${f.field}-choice-error`}>
                {choiceError}
              </p>
            ) : null}
            <div className="choice">
              <input type="radio" id={`${id}-${f.field}-accept`} name={`decision_${f.field}`} value="accepted" defaultChecked={choice === "accepted"} />
              <label htmlFor={`${id}-${f.field}-accept`}>Accept the change</label>
            </div>
            <div className="choice">
              <input type="radio" id={`${id}-${f.field}-reject`} name={`decision_${f.field}`} value="rejected" defaultChecked={choice === "rejected"} />
              <label htmlFor={`${id}-${f.field}-reject`}>Reject the change</label>
            </div>
            <div className="field">
              <label htmlFor={`field-note_${f.field}`}>Note on {f.label.toLowerCase()}</label>
              {noteError ? (
                <p className="field-error" id={`${id}-${f.field}-note-error`}>
                  {noteError}
                </p>
              ) : null}
              <textarea
                id={`field-note_${f.field}`}
                name={`note_${f.field}`}
                rows={2}
                defaultValue={values ? values[`note_${f.field}`] : (f.note ?? "")}
                aria-invalid={noteError ? true : undefined}
                aria-describedby={noteError ? `${id}-${f.field}-note-error` : undefined}
              />
            </div>
          </fieldset>
        );
      })}
      <div>
        <button className="primary" type="submit" disabled={pending}>
          {pending ? "Working…" : "Save decisions"}
        </button>
      </div>
    </form>
  );
}
