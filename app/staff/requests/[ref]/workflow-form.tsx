"use client";

import { useActionState, useId } from "react";
import { useFocusOnRefusal } from "@/app/_components/form-bits";
import type { ActionState } from "@/server/action";

type Choice = { value: string; label: string };

/**
 * One staff action on a request. It carries the reference and the version
 * the page was shown at; what was typed survives a refusal.
 */
export function WorkflowForm({
  action,
  reference,
  version,
  submitLabel,
  danger = false,
  text,
  choice,
  confirm,
  description,
  hidden,
}: {
  action: (state: ActionState, formData: FormData) => Promise<ActionState>;
  reference: string;
  version?: number;
  submitLabel: string;
  danger?: boolean;
  text?: { name: string; label: string; hint?: string; rows?: number };
  choice?: { name: string; label: string; choices: Choice[]; defaultValue?: string };
  /** A box to tick before a step that cannot be undone; the action checks it was ticked. */
  confirm?: { name: string; label: string };
  description?: string;
  /** Further hidden fields the action reads (the other request of a possible duplicate). */
  hidden?: Record<string, string>;
}) {
  const [state, formAction, pending] = useActionState<ActionState, FormData>(action, null);
  const id = useId();
  const problemRef = useFocusOnRefusal<HTMLParagraphElement>(state);
  const errors = state?.fieldErrors ?? {};
  const problem = state && !state.ok ? (Object.values(errors)[0] ?? state.message) : undefined;
  const errorId = `${id}-error`;
  return (
    <form action={formAction} className="stacked workflow-form">
      {description ? <p className="hint">{description}</p> : null}
      {problem ? (
        <p className="notice error" role="alert" id={errorId} tabIndex={-1} ref={problemRef}>
          {problem}
        </p>
      ) : null}
      <input type="hidden" name="reference" value={reference} />
      {version !== undefined ? <input type="hidden" name="version" value={version} /> : null}
      {Object.entries(hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {choice ? (
        <div className="field">
          <label htmlFor={`${id}-${choice.name}`}>{choice.label}</label>
          <select
            id={`${id}-${choice.name}`}
            name={choice.name}
            defaultValue={state?.values?.[choice.name] ?? choice.defaultValue}
            aria-invalid={errors[choice.name] ? true : undefined}
            aria-describedby={errors[choice.name] ? errorId : undefined}
          >
            {choice.choices.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {text ? (
        <div className="field">
          <label htmlFor={`${id}-${text.name}`}>{text.label}</label>
          {text.hint ? (
            <p className="hint" id={`${id}-hint`}>
              {text.hint}
            </p>
          ) : null}
          <textarea
            id={`${id}-${text.name}`}
            name={text.name}
            rows={text.rows ?? 4}
            defaultValue={state?.values?.[text.name]}
            aria-invalid={errors[text.name] ? true : undefined}
            aria-describedby={[text.hint ? `${id}-hint` : "", errors[text.name] ? errorId : ""].filter(Boolean).join(" ") || undefined}
          />
        </div>
      ) : null}
      {confirm ? (
        <div className="choice">
          <input
            type="checkbox"
            id={`${id}-${confirm.name}`}
            name={confirm.name}
            value="yes"
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? errorId : undefined}
          />
          <label htmlFor={`${id}-${confirm.name}`}>{confirm.label}</label>
        </div>
      ) : null}
      <div>
        <button className={danger ? "secondary" : "primary"} type="submit" disabled={pending}>
          {pending ? "Working…" : submitLabel}
        </button>
      </div>
    </form>
  );
}
