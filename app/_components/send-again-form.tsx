"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { ActionState } from "@/server/action";

/**
 * One button that has an emailed link sent again, saying what came of it: the
 * check-inbox page's "send it again" and the agent page's "send me a new link".
 * `fields` go with it as hidden inputs; the action checks them itself.
 */
export function SendAgainForm({
  action: send,
  fields,
  label,
}: {
  action: (state: ActionState, form: FormData) => Promise<ActionState>;
  fields: Record<string, string>;
  label: "resend.button" | "agentLink";
}) {
  const [state, action, pending] = useActionState<ActionState, FormData>(send, null);
  const t = useTranslations("clientForms");
  const problem = state && !state.ok ? (Object.values(state.fieldErrors ?? {})[0] ?? state.message) : undefined;
  return (
    <form action={action} className="inline-form">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div role="status">{state?.ok ? <p className="notice success">{state.message}</p> : null}</div>
      {problem ? (
        <p className="notice error" role="alert">
          {problem}
        </p>
      ) : null}
      <button className="primary" type="submit" disabled={pending}>
        {pending ? t("sending") : t(label)}
      </button>
    </form>
  );
}
