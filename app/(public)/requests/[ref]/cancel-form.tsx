"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { FieldError } from "@/app/_components/form-bits";
import type { ActionState } from "@/server/action";
import { cancelRequest } from "./actions";

/** Cancelling cannot be undone, so the button works only with the box ticked that says so (checked again by the action). */
export function CancelForm({ reference }: { reference: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(cancelRequest, null);
  const t = useTranslations("clientForms");
  const confirmError = state?.ok === false ? state.fieldErrors?.confirm : undefined;
  const otherError = state?.ok === false ? (state.fieldErrors?.reference ?? (confirmError ? undefined : state.message)) : undefined;
  const id = "field-confirm";
  return (
    <form action={action} className="stacked" noValidate>
      {otherError ? (
        <p className="notice error" role="alert">
          {otherError}
        </p>
      ) : null}
      <input type="hidden" name="reference" value={reference} />
      <p>{t("cancel.text")}</p>
      <div className="field" role={confirmError ? "alert" : undefined}>
        <FieldError id={id} error={confirmError} />
        <div className="choice">
          <input
            type="checkbox"
            id={id}
            name="confirm"
            value="yes"
            {...(confirmError ? { "aria-invalid": true, "aria-describedby": `${id}-error` } : {})}
          />
          <label htmlFor={id}>{t("cancel.confirm", { reference })}</label>
        </div>
      </div>
      <div>
        <button className="secondary" type="submit" disabled={pending}>
          {pending ? t("cancel.cancelling") : t("cancel.button")}
        </button>
      </div>
    </form>
  );
}
