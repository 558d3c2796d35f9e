"use client";

import { useActionState } from "react";
import { ErrorSummary, FieldError, useFocusOnRefusal } from "@/app/_components/form-bits";
import type { ActionState } from "@/server/action";
import { savePasskeyPolicyAction } from "./actions";

/** Whether every staff member must use a passkey after the emailed link. */
export function PasskeyPolicyForm({ required }: { required: boolean }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(savePasskeyPolicyAction, null);
  const summary = useFocusOnRefusal<HTMLDivElement>(state);
  const errors = state?.fieldErrors ?? {};
  const chosen = state?.values?.passkeys ?? (required ? "required" : "optional");
  return (
    <form action={action} className="stacked" noValidate key={chosen}>
      <ErrorSummary ref={summary} message={state?.ok === false ? state.message : undefined} fieldErrors={errors} labels={{ passkeys: "Passkeys" }} />
      <div role="status">{state?.ok ? <p className="notice success">{state.message}</p> : null}</div>
      <fieldset id="field-passkeys" aria-describedby={errors.passkeys ? "field-passkeys-error" : undefined}>
        <legend>Must staff use a passkey after the emailed link?</legend>
        <FieldError id="field-passkeys" error={errors.passkeys} />
        <div className="choice">
          <input type="radio" id="passkeys-optional" name="passkeys" value="optional" defaultChecked={chosen === "optional"} />
          <label htmlFor="passkeys-optional">Each member chooses: once they add a passkey, it is asked for</label>
        </div>
        <div className="choice">
          <input type="radio" id="passkeys-required" name="passkeys" value="required" defaultChecked={chosen === "required"} />
          <label htmlFor="passkeys-required">Every member: those without one add one before they can open the dashboard</label>
        </div>
      </fieldset>
      <div>
        <button className="primary" type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save passkey rule"}
        </button>
      </div>
    </form>
  );
}
