"use client";

import { useActionState } from "react";
import { ErrorSummary, Field, FieldError, useFocusOnRefusal } from "@/app/_components/form-bits";
import type { ActionState } from "@/server/action";
import { createSubscriptionAction } from "../actions";
import { ShownOnce } from "@/app/_components/shown-once";

const LABELS: Record<string, string> = { name: "Name", url: "Address", kinds: "Events" };

export function SubscriptionForm({ kinds }: { kinds: Array<{ kind: string; words: string }> }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(createSubscriptionAction, null);
  const summary = useFocusOnRefusal<HTMLDivElement>(state);
  const errors = state?.fieldErrors ?? {};
  const values = state?.ok ? {} : (state?.values ?? {});
  const secret = state?.ok ? state.values?.secret : undefined;
  return (
    <form action={action} className="stacked" noValidate key={JSON.stringify(state)}>
      <ErrorSummary ref={summary} message={state?.ok === false ? state.message : undefined} fieldErrors={errors} labels={LABELS} />
      <div role="status">
        {state?.ok ? <p className="notice success">{state.message}</p> : null}
        <ShownOnce value={secret} testId="subscription-secret">
          The signing secret for this subscription, shown only now. Each delivery carries{" "}
          <code>X-Rightsdesk-Signature: sha256=HMAC(secret, timestamp + &quot;.&quot; + body)</code>,{" "}
          <code>X-Rightsdesk-Timestamp</code> and <code>X-Rightsdesk-Delivery</code>, the delivery&apos;s id, the same on every
          try: the receiver checks the signature and the timestamp, and acts once per delivery id (see the README).
        </ShownOnce>
      </div>
      <Field name="name" label="Name" hint="Who receives it, for example: staff chat, CRM." error={errors.name}>
        {(p) => <input name="name" defaultValue={values.name} {...p} />}
      </Field>
      <Field
        name="url"
        label="Address"
        hint="Where each event is POSTed, starting with https:// and leading to a public address (plain http:// only for a host allowed by WEBHOOK_ALLOW_PRIVATE_HOSTS)."
        error={errors.url}
      >
        {(p) => <input type="url" name="url" defaultValue={values.url} spellCheck={false} {...p} />}
      </Field>
      <fieldset id="field-kinds" aria-describedby={errors.kinds ? "field-kinds-error" : undefined}>
        <legend>Events</legend>
        <FieldError id="field-kinds" error={errors.kinds} />
        {kinds.map(({ kind, words }) => (
          <div className="choice" key={kind}>
            <input type="checkbox" id={`kind-${kind}`} name={`kind_${kind}`} value="yes" defaultChecked={values[`kind_${kind}`] === "yes"} />
            <label htmlFor={`kind-${kind}`}>
              <code>{kind}</code>: {words}
            </label>
          </div>
        ))}
      </fieldset>
      <div>
        <button className="primary" type="submit" disabled={pending}>
          {pending ? "Subscribing…" : "Subscribe"}
        </button>
      </div>
    </form>
  );
}
