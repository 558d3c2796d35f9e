"use client";

import { useActionState } from "react";
import { ErrorSummary, Field } from "@/app/_components/form-bits";
import type { ActionState } from "@/server/action";
import { replyToConcernAction } from "./concern-actions";

/** The supporter's side of a concern's thread, while it is open. */
export function ConcernReply({ reference }: { reference: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(replyToConcernAction, null);
  const errors = state?.fieldErrors ?? {};
  return (
    <section aria-labelledby="reply-heading">
      <h2 id="reply-heading">Write to us about your concern</h2>
      <form action={action} className="stacked" noValidate>
        <ErrorSummary message={state?.ok === false ? state.message : undefined} fieldErrors={errors} labels={{ message: "Your message" }} />
        <input type="hidden" name="reference" value={reference} />
        <Field name="message" label="Your message" error={errors.message}>
          {(p) => <textarea name="message" rows={5} defaultValue={state?.values?.message} {...p} />}
        </Field>
        <div>
          <button className="primary" type="submit" disabled={pending}>
            {pending ? "Sending…" : "Send my message"}
          </button>
        </div>
      </form>
    </section>
  );
}
