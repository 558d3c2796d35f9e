"use client";

import { useActionState } from "react";
import { ErrorSummary, Field, FieldError, useFocusOnRefusal } from "@/app/_components/form-bits";
import { API_SCOPES } from "@/db/schema";
import type { ActionState } from "@/server/action";
import { createKeyAction } from "./actions";
import { ShownOnce } from "@/app/_components/shown-once";

const LABELS: Record<string, string> = { name: "Name", scopes: "What it may do", ratePerMinute: "Calls a minute" };

export function KeyForm({ scopeWords, defaultRate }: { scopeWords: Record<string, { label: string; hint: string }>; defaultRate: number }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(createKeyAction, null);
  const summary = useFocusOnRefusal<HTMLDivElement>(state);
  const errors = state?.fieldErrors ?? {};
  const values = state?.ok ? {} : (state?.values ?? {});
  const key = state?.ok ? state.values?.key : undefined;
  return (
    <form action={action} className="stacked" noValidate key={JSON.stringify(state)}>
      <ErrorSummary ref={summary} message={state?.ok === false ? state.message : undefined} fieldErrors={errors} labels={LABELS} />
      <div role="status">
        {state?.ok ? <p className="notice success">{state.message}</p> : null}
        <ShownOnce value={key} testId="api-key">
          The key, shown only now. Give it to whoever runs the program; it sends it in every call as{" "}
          <code>Authorization: Bearer</code> and the key.
        </ShownOnce>
      </div>
      <Field name="name" label="Name" hint="Which program uses it, for example: CRM, website forms, staff chat." error={errors.name}>
        {(p) => <input name="name" defaultValue={values.name} {...p} />}
      </Field>
      <fieldset id="field-scopes" aria-describedby={errors.scopes ? "field-scopes-error" : undefined}>
        <legend>What it may do</legend>
        <FieldError id="field-scopes" error={errors.scopes} />
        {API_SCOPES.map((scope) => (
          <div className="choice" key={scope}>
            <input type="checkbox" id={`scope-${scope}`} name={`scope_${scope}`} value="yes" defaultChecked={values[`scope_${scope}`] === "yes"} />
            <label htmlFor={`scope-${scope}`}>
              <strong>{scopeWords[scope]?.label}</strong>: {scopeWords[scope]?.hint}
            </label>
          </div>
        ))}
      </fieldset>
      <Field name="ratePerMinute" label="Calls a minute" hint={`The most calls it may make in a minute; ${defaultRate} if left empty.`} error={errors.ratePerMinute}>
        {(p) => <input name="ratePerMinute" inputMode="numeric" defaultValue={values.ratePerMinute} {...p} />}
      </Field>
      <div>
        <button className="primary" type="submit" disabled={pending}>
          {pending ? "Making the key…" : "Make a key"}
        </button>
      </div>
    </form>
  );
}
