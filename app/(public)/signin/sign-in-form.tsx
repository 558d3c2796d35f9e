"use client";

import { useActionState } from "react";
import { ErrorSummary, Field } from "@/app/_components/form-bits";
import type { ActionState } from "@/server/action";
import { requestSignInLink } from "./actions";

export function SignInForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(requestSignInLink, null);
  const errors = state?.fieldErrors ?? {};
  return (
    <form action={action} className="stacked" noValidate key={state?.values?.email ?? ""}>
      <ErrorSummary message={state?.ok === false ? state.message : undefined} fieldErrors={errors} labels={{ email: "Email address" }} />
      <input type="hidden" name="next" value={next} />
      <Field name="email" label="Email address" hint="We will email you a link that signs you in. No password needed." error={errors.email}>
        {(p) => <input type="email" name="email" autoComplete="email" spellCheck={false} defaultValue={state?.values?.email} {...p} />}
      </Field>
      <div>
        <button className="primary" type="submit" disabled={pending}>
          {pending ? "Sending…" : "Send me a sign-in link"}
        </button>
      </div>
    </form>
  );
}
