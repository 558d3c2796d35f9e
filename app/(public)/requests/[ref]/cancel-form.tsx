"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import type { ActionState } from "@/server/action";
import { cancelRequest } from "./actions";

export function CancelForm({ reference }: { reference: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(cancelRequest, null);
  const t = useTranslations("clientForms");
  return (
    <form action={action} className="stacked">
      {state && !state.ok ? (
        <p className="notice error" role="alert">
          {state.fieldErrors?.reference ?? state.message}
        </p>
      ) : null}
      <input type="hidden" name="reference" value={reference} />
      <p>{t("cancel.text")}</p>
      <div>
        <button className="secondary" type="submit" disabled={pending}>
          {pending ? t("cancel.cancelling") : t("cancel.button")}
        </button>
      </div>
    </form>
  );
}
