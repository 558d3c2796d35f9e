"use client";

import { useActionState } from "react";
import { ErrorSummary, Field, FieldError, useFocusOnRefusal } from "@/app/_components/form-bits";
import type { ActionState } from "@/server/action";
import { addSystemAction } from "./actions";
import { ShownOnce } from "@/app/_components/shown-once";

const LABELS: Record<string, string> = { name: "Name", kind: "How it is reached", url: "Webhook address" };

export function AddSystemForm() {
  const [state, action, pending] = useActionState<ActionState, FormData>(addSystemAction, null);
  const summary = useFocusOnRefusal<HTMLDivElement>(state);
  const errors = state?.fieldErrors ?? {};
  const values = state?.ok ? {} : (state?.values ?? {});
  const secret = state?.ok ? state.values?.secret : undefined;
  return (
    <form action={action} className="stacked" noValidate key={JSON.stringify(state)}>
      <ErrorSummary ref={summary} message={state?.ok === false ? state.message : undefined} fieldErrors={errors} labels={LABELS} />
      <div role="status">
        {state?.ok ? <p className="notice success">{state.message}</p> : null}
        <ShownOnce value={secret} testId="webhook-secret">
          The signing secret for this webhook, shown only now. Give it to whoever runs the system; calls carry{" "}
          <code>X-Rightsdesk-Signature: sha256=HMAC(secret, timestamp + &quot;.&quot; + body)</code>,{" "}
          <code>X-Rightsdesk-Timestamp</code> and <code>X-Rightsdesk-Delivery</code>, the call&apos;s own id, which is
          also the body&apos;s <code>delivery</code>: a receiver refuses a call whose signature does not match, whose
          timestamp is more than five minutes old, or whose delivery id it has seen before (see the README).
        </ShownOnce>
      </div>
      <Field name="name" label="Name" hint="For example: CRM, payment processor, mailing tool." error={errors.name}>
        {(p) => <input name="name" defaultValue={values.name} {...p} />}
      </Field>
      <fieldset id="field-kind" aria-describedby={errors.kind ? "field-kind-error" : undefined}>
        <legend>How it is reached</legend>
        <FieldError id="field-kind" error={errors.kind} />
        <div className="choice">
          <input type="radio" id="kind-webhook" name="kind" value="webhook" defaultChecked={(values.kind ?? "webhook") === "webhook"} />
          <label htmlFor="kind-webhook">
            <strong>Webhook</strong>: Rightsdesk sends it each request, signed, and retries until it answers
          </label>
        </div>
        <div className="choice">
          <input type="radio" id="kind-manual" name="kind" value="manual" defaultChecked={values.kind === "manual"} />
          <label htmlFor="kind-manual">
            <strong>Manual</strong>: a staff member does it by hand and ticks it on the request
          </label>
        </div>
      </fieldset>
      <Field
        name="url"
        label="Webhook address"
        hint="Only for webhooks, e.g. https://crm.example.org/rightsdesk. It must lead to a public address, unless the host is allowed by WEBHOOK_ALLOW_PRIVATE_HOSTS."
        error={errors.url}
      >
        {(p) => <input type="url" name="url" defaultValue={values.url} spellCheck={false} {...p} />}
      </Field>
      <div>
        <button className="primary" type="submit" disabled={pending}>
          {pending ? "Adding…" : "Add system"}
        </button>
      </div>
    </form>
  );
}
