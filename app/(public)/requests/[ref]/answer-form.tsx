"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { ErrorSummary, Field } from "@/app/_components/form-bits";
import type { ActionState } from "@/server/action";
import { answerQuestionAction } from "./actions";

export function AnswerForm({ reference }: { reference: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(answerQuestionAction, null);
  const t = useTranslations("clientForms");
  const errors = state?.fieldErrors ?? {};
  return (
    <form action={action} className="stacked" noValidate>
      <ErrorSummary message={state?.ok === false ? state.message : undefined} fieldErrors={errors} labels={{ answer: t("answer.label") }} />
      <input type="hidden" name="reference" value={reference} />
      <Field name="answer" label={t("answer.label")} error={errors.answer}>
        {(p) => <textarea name="answer" rows={6} defaultValue={state?.values?.answer} {...p} />}
      </Field>
      <div>
        <button className="primary" type="submit" disabled={pending}>
          {pending ? t("sending") : t("answer.button")}
        </button>
      </div>
    </form>
  );
}
