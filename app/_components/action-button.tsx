"use client";

import { useActionState } from "react";
import type { ActionState } from "@/server/action";

/**
 * One button that calls a server action with a few hidden fields, and says
 * what happened next to it. `hiddenLabel` completes the button's name for a
 * screen reader where many look alike ("End" … "session on Chrome 131").
 */
export function ActionButton({
  action,
  fields,
  label,
  hiddenLabel,
  danger = false,
}: {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  fields: Record<string, string>;
  label: string;
  hiddenLabel?: string;
  danger?: boolean;
}) {
  const [state, formAction, pending] = useActionState<ActionState, FormData>(action, null);
  const problem = state && !state.ok ? (Object.values(state.fieldErrors ?? {})[0] ?? state.message) : undefined;
  return (
    <form action={formAction} className="inline-form">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className={danger ? "secondary" : "primary"} disabled={pending}>
        {label}
        {hiddenLabel ? <span className="visually-hidden"> {hiddenLabel}</span> : null}
      </button>
      <span role="status">{state?.ok ? <span className="notice success">{state.message}</span> : null}</span>
      <span role="alert">{problem ? <span className="notice error">{problem}</span> : null}</span>
    </form>
  );
}
