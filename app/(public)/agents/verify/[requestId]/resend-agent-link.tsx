"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { ActionState } from "@/server/action";
import { resendAgentLink } from "./actions";

/** A fresh confirmation link for the agent's request, to the address the agent gave, while the request waits. */
export function ResendAgentLink({ requestId }: { requestId: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(resendAgentLink, null);
  const t = useTranslations("clientForms");
  const problem = state && !state.ok ? (Object.values(state.fieldErrors ?? {})[0] ?? state.message) : undefined;
  return (
    <form action={action} className="inline-form">
      <input type="hidden" name="requestId" value={requestId} />
      <div role="status">{state?.ok ? <p className="notice success">{state.message}</p> : null}</div>
      {problem ? (
        <p className="notice error" role="alert">
          {problem}
        </p>
      ) : null}
      <button className="primary" type="submit" disabled={pending}>
        {pending ? t("sending") : t("agentLink")}
      </button>
    </form>
  );
}
