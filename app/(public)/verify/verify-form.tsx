"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { ErrorSummary, Field } from "@/app/_components/form-bits";
import { parseReceipt } from "@/lib/record/receipt-text";
import type { ActionState } from "@/server/action";
import { checkReceipt } from "./actions";

/** What a genuine receipt says, line by line, as the server checked it: the signed words themselves, in English. */
function ReceiptFacts({ receipt }: { receipt: string }) {
  const parsed = parseReceipt(receipt);
  if (!parsed.ok) return null;
  return (
    <dl className="receipt-facts" lang="en">
      {parsed.receipt.lines.map(([label, value], i) => (
        <div key={i}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function VerifyForm() {
  const [state, action, pending] = useActionState<ActionState, FormData>(checkReceipt, null);
  const t = useTranslations("clientForms.verify");
  const errors = state?.fieldErrors ?? {};
  const receipt = state?.values?.receipt;
  return (
    <>
      {state?.ok && receipt ? (
        <div className="notice" role="status">
          <h2>{state.message}</h2>
          <ReceiptFacts receipt={receipt} />
        </div>
      ) : null}
      <form action={action} className="stacked" noValidate key={receipt ?? ""}>
        <ErrorSummary message={state?.ok === false ? state.message : undefined} fieldErrors={errors} labels={{ receipt: t("label") }} />
        <Field
          name="receipt"
          label={t("label")}
          hint={t("hint")}
          error={errors.receipt}
        >
          {(p) => <textarea name="receipt" rows={14} spellCheck={false} defaultValue={receipt} {...p} />}
        </Field>
        <div>
          <button className="primary" type="submit" disabled={pending}>
            {pending ? t("checking") : t("button")}
          </button>
        </div>
      </form>
    </>
  );
}
