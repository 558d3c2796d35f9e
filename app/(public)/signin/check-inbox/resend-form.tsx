"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { ActionState } from "@/server/action";
import { resendLink } from "./actions";

/** Sends the email again to the address shown, within the same limits as asking anew. */
export function ResendForm({ email, purpose, next }: { email: string; purpose: "signin" | "request"; next: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(resendLink, null);
  const t = useTranslations("clientForms");
  const problem = state && !state.ok ? (Object.values(state.fieldErrors ?? {})[0] ?? state.message) : undefined;
  return (
    <form action={action} className="inline-form">
      <input type="hidden" name="email" value={email} />
      <input type="hidden" name="purpose" value={purpose} />
      <input type="hidden" name="next" value={next} />
      <div role="status">{state?.ok ? <p className="notice success">{state.message}</p> : null}</div>
      {problem ? (
        <p className="notice error" role="alert">
          {problem}
        </p>
      ) : null}
      <button className="primary" type="submit" disabled={pending}>
        {pending ? t("sending") : t("resend.button")}
      </button>
    </form>
  );
}
