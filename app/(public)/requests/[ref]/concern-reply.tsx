"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { ErrorSummary, Field } from "@/app/_components/form-bits";
import type { ActionState } from "@/server/action";
import { replyToConcernAction } from "./concern-actions";

/** The supporter's side of a concern's thread, while it is open. */
export function ConcernReply({ reference }: { reference: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(replyToConcernAction, null);
  const t = useTranslations("clientForms");
  const errors = state?.fieldErrors ?? {};
  return (
    <section aria-labelledby="reply-heading">
      <h2 id="reply-heading">{t("concern.heading")}</h2>
      <form action={action} className="stacked" noValidate>
        <ErrorSummary message={state?.ok === false ? state.message : undefined} fieldErrors={errors} labels={{ message: t("concern.label") }} />
        <input type="hidden" name="reference" value={reference} />
        <Field name="message" label={t("concern.label")} error={errors.message}>
          {(p) => <textarea name="message" rows={5} defaultValue={state?.values?.message} {...p} />}
        </Field>
        <div>
          <button className="primary" type="submit" disabled={pending}>
            {pending ? t("sending") : t("concern.button")}
          </button>
        </div>
      </form>
    </section>
  );
}
