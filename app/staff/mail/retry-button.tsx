"use client";

import { useActionState } from "react";
import type { ActionState } from "@/server/action";

/** One button that retries one failed message, or all of them. */
export function RetryButton({
  action,
  message,
  label,
  detail,
}: {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  message: number | "all";
  label: string;
  /** Read to screen readers after the label, so each row's button says which message it retries. */
  detail?: string;
}) {
  const [state, formAction, pending] = useActionState<ActionState, FormData>(action, null);
  const problem = state && !state.ok ? (Object.values(state.fieldErrors ?? {})[0] ?? state.message) : undefined;
  return (
    <form action={formAction} className="inline-form">
      <input type="hidden" name="message" value={String(message)} />
      <button type="submit" className="primary" disabled={pending}>
        {label}
        {detail ? <span className="visually-hidden"> {detail}</span> : null}
      </button>
      {problem ? (
        <p className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
    </form>
  );
}
