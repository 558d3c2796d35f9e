"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { ErrorSummary, Field } from "@/app/_components/form-bits";
import type { ActionState } from "@/server/action";
import { requestSignInLink } from "./actions";

export function SignInForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(requestSignInLink, null);
  const t = useTranslations("clientForms");
  const errors = state?.fieldErrors ?? {};
  return (
    <form action={action} className="stacked" noValidate key={state?.values?.email ?? ""}>
      <ErrorSummary message={state?.ok === false ? state.message : undefined} fieldErrors={errors} labels={{ email: t("signIn.email") }} />
      <input type="hidden" name="next" value={next} />
      <Field name="email" label={t("signIn.email")} hint={t("signIn.hint")} error={errors.email}>
        {(p) => <input type="email" name="email" autoComplete="email" spellCheck={false} defaultValue={state?.values?.email} {...p} />}
      </Field>
      <div>
        <button className="primary" type="submit" disabled={pending}>
          {pending ? t("sending") : t("signIn.button")}
        </button>
      </div>
    </form>
  );
}
