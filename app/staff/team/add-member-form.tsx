"use client";

import { useActionState } from "react";
import { ErrorSummary, Field, FieldError, useFocusOnRefusal } from "@/app/_components/form-bits";
import { ROLE_EXPLANATIONS, staffRoleLabel } from "@/lib/staff/role-words";
import type { ActionState } from "@/server/action";
import { addMember } from "./actions";

const FIELD_LABELS: Record<string, string> = { email: "Email address", role: "Role" };

const ROLE_CHOICES = (["reviewer", "admin", "auditor"] as const).map((role) => ({ role, label: staffRoleLabel(role), explanation: ROLE_EXPLANATIONS[role] }));

export function AddMemberForm() {
  const [state, action, pending] = useActionState<ActionState, FormData>(addMember, null);
  const summary = useFocusOnRefusal<HTMLDivElement>(state);
  const errors = state?.fieldErrors ?? {};
  const values = state?.values ?? {};
  const role = values.role ?? "reviewer";

  // Inputs are uncontrolled; the key makes them take the echoed values after a refusal.
  const formKey = JSON.stringify(values);

  return (
    <form action={action} className="stacked" noValidate key={formKey}>
      <ErrorSummary ref={summary} message={state?.ok === false ? state.message : undefined} fieldErrors={errors} labels={FIELD_LABELS} />
      <div role="status">{state?.ok ? <p className="notice success">{state.message}</p> : null}</div>

      <Field name="email" label="Email address" hint="They sign in with a link sent to this address." error={errors.email}>
        {(p) => <input type="email" name="email" autoComplete="off" spellCheck={false} defaultValue={values.email} {...p} />}
      </Field>

      <fieldset id="field-role" aria-describedby={errors.role ? "field-role-error" : undefined}>
        <legend>Role</legend>
        <FieldError id="field-role" error={errors.role} />
        {ROLE_CHOICES.map((choice) => (
          <div className="choice" key={choice.role}>
            <input type="radio" id={`role-${choice.role}`} name="role" value={choice.role} defaultChecked={role === choice.role} />
            <label htmlFor={`role-${choice.role}`}>
              <strong>{choice.label}</strong>: {choice.explanation}
            </label>
          </div>
        ))}
      </fieldset>

      <div>
        <button className="primary" type="submit" disabled={pending}>
          {pending ? "Adding…" : "Add staff member"}
        </button>
      </div>
    </form>
  );
}
