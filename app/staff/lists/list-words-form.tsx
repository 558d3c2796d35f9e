"use client";

import { useActionState } from "react";
import { ErrorSummary, Field, useFocusOnRefusal } from "@/app/_components/form-bits";
import type { ActionState } from "@/server/action";
import { saveListWordsAction } from "./actions";

/** One list's title and description, as the preference page shows them. */
export function ListWordsForm({ name, title, description }: { name: string; title: string | null; description: string | null }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(saveListWordsAction, null);
  const summary = useFocusOnRefusal<HTMLDivElement>(state);
  const errors = state?.fieldErrors ?? {};
  const values = state?.values;
  return (
    <form action={action} className="stacked" noValidate>
      <ErrorSummary ref={summary}
        message={state?.ok === false ? state.message : undefined}
        fieldErrors={Object.fromEntries(Object.entries(errors).map(([field, error]) => [`${field}-${name}`, error]))}
        labels={{ [`title-${name}`]: "Title", [`description-${name}`]: "Description" }}
      />
      <div role="status">{state?.ok ? <p className="notice success">{state.message}</p> : null}</div>
      <input type="hidden" name="list" value={name} />
      <Field name={`title-${name}`} label="Title" hint="What supporters read, e.g. Monthly newsletter. Empty: the list's name." error={errors.title}>
        {(props) => <input {...props} type="text" name="title" defaultValue={values?.title ?? title ?? ""} maxLength={200} />}
      </Field>
      <Field name={`description-${name}`} label="Description" hint="A sentence on what the list sends and how often." error={errors.description}>
        {(props) => <textarea {...props} name="description" defaultValue={values?.description ?? description ?? ""} rows={2} />}
      </Field>
      <div>
        <button className="primary" type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </button>
      </div>
    </form>
  );
}
