"use client";

import { useActionState } from "react";
import { ErrorSummary, Field, useFocusOnRefusal } from "@/app/_components/form-bits";
import type { ActionState } from "@/server/action";
import { saveOrgTextsAction } from "./actions";

type Part = { name: string; label: string; hint: string; multiline: boolean };

/**
 * The organisation's words in one language other than the default: each
 * part may be left empty, and then reads as the default language's (shown
 * as the field's placeholder).
 */
export function OrgTextsForm({
  language,
  languageName,
  parts,
  values: saved,
  fallbacks,
}: {
  language: string;
  languageName: string;
  parts: Part[];
  values: Record<string, string>;
  fallbacks: Record<string, string>;
}) {
  const [state, action, pending] = useActionState<ActionState, FormData>(saveOrgTextsAction, null);
  const summary = useFocusOnRefusal<HTMLDivElement>(state);
  const errors = state?.fieldErrors ?? {};
  const values: Record<string, string> = state?.values ?? saved;
  return (
    <form action={action} className="stacked" noValidate key={`${language}:${JSON.stringify(values)}`}>
      <ErrorSummary ref={summary}
        message={state?.ok === false ? state.message : undefined}
        fieldErrors={errors}
        labels={Object.fromEntries(parts.map((p) => [p.name, p.label]))}
      />
      <div role="status">{state?.ok ? <p className="notice success">{state.message}</p> : null}</div>
      <input type="hidden" name="language" value={language} />
      {parts.map((part) => (
        <Field key={part.name} name={part.name} label={`${part.label} in ${languageName}`} hint={part.hint} error={errors[part.name]}>
          {(p) =>
            part.multiline ? (
              <textarea name={part.name} rows={5} lang={language} defaultValue={values[part.name]} placeholder={fallbacks[part.name]} {...p} />
            ) : (
              <input type="text" name={part.name} lang={language} defaultValue={values[part.name]} placeholder={fallbacks[part.name]} {...p} />
            )
          }
        </Field>
      ))}
      <div>
        <button className="primary" type="submit" disabled={pending}>
          {pending ? "Saving…" : `Save the words in ${languageName}`}
        </button>
      </div>
    </form>
  );
}
