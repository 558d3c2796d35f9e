"use client";

import { useActionState } from "react";
import { ErrorSummary, FieldError, useFocusOnRefusal } from "@/app/_components/form-bits";
import type { ActionState } from "@/server/action";
import { saveApprovalPolicyAction } from "./actions";

/** Whether an erasure needs one staff member's approval or two different ones'. */
export function ApprovalForm({ needsTwo }: { needsTwo: boolean }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(saveApprovalPolicyAction, null);
  const summary = useFocusOnRefusal<HTMLDivElement>(state);
  const errors = state?.fieldErrors ?? {};
  const chosen = state?.values?.erasureApprovals ?? (needsTwo ? "two" : "one");
  return (
    <form action={action} className="stacked" noValidate key={chosen}>
      <ErrorSummary ref={summary} message={state?.ok === false ? state.message : undefined} fieldErrors={errors} labels={{ erasureApprovals: "Approving erasures" }} />
      <div role="status">{state?.ok ? <p className="notice success">{state.message}</p> : null}</div>
      <fieldset id="field-erasureApprovals" aria-describedby={errors.erasureApprovals ? "field-erasureApprovals-error" : undefined}>
        <legend>Who must approve an erasure before it is carried out?</legend>
        <FieldError id="field-erasureApprovals" error={errors.erasureApprovals} />
        <div className="choice">
          <input type="radio" id="erasure-approvals-one" name="erasureApprovals" value="one" defaultChecked={chosen === "one"} />
          <label htmlFor="erasure-approvals-one">One staff member: their approval erases at once</label>
        </div>
        <div className="choice">
          <input type="radio" id="erasure-approvals-two" name="erasureApprovals" value="two" defaultChecked={chosen === "two"} />
          <label htmlFor="erasure-approvals-two">Two different staff members: the first approval is recorded, the second erases</label>
        </div>
      </fieldset>
      <div>
        <button className="primary" type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save approval rule"}
        </button>
      </div>
    </form>
  );
}
