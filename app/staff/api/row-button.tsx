"use client";

import { useActionState } from "react";
import type { ActionState } from "@/server/action";

/** One button acting on one row (revoke, switch off, send again), saying what happened next to it. */
export function RowButton({
  action,
  fields,
  label,
  accessibleLabel,
}: {
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  fields: Record<string, string>;
  label: string;
  accessibleLabel: string;
}) {
  const [state, run, pending] = useActionState<ActionState, FormData>(action, null);
  return (
    <form action={run} className="inline-form">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button className="secondary" type="submit" disabled={pending} aria-label={accessibleLabel}>
        {label}
      </button>
      <span role="status">{state?.message ? <span className={state.ok ? "muted" : "field-error"}> {state.message}</span> : null}</span>
    </form>
  );
}
