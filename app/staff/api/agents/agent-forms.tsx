"use client";

import { useActionState } from "react";
import { ErrorSummary, Field, useFocusOnRefusal } from "@/app/_components/form-bits";
import type { ActionState } from "@/server/action";
import { registerAgentAction, saveBusinessAction, setAgentSiteAction } from "../actions";

const BUSINESS_LABELS: Record<string, string> = {
  businessId: "Business id",
  technicalContact: "Technical contact",
  businessContact: "Privacy contact",
  logoUrl: "Logo",
  privacyPolicyUrl: "Privacy policy",
  webUrl: "Website",
};

export function BusinessForm({ saved }: { saved: Record<string, string> }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(saveBusinessAction, null);
  const summary = useFocusOnRefusal<HTMLDivElement>(state);
  const errors = state?.fieldErrors ?? {};
  const values = state?.ok === false ? (state.values ?? {}) : saved;
  return (
    <form action={action} className="stacked" noValidate key={JSON.stringify(state)}>
      <ErrorSummary ref={summary} message={state?.ok === false ? state.message : undefined} fieldErrors={errors} labels={BUSINESS_LABELS} />
      <div role="status">{state?.ok ? <p className="notice success">{state.message}</p> : null}</div>
      <Field name="businessId" label="Business id" hint="The id the network's operators gave this organisation; every agent's message must name it." error={errors.businessId}>
        {(p) => <input name="businessId" defaultValue={values.businessId} spellCheck={false} {...p} />}
      </Field>
      <Field name="technicalContact" label="Technical contact" hint="Who the operators and agents write to about the connection." error={errors.technicalContact}>
        {(p) => <input type="email" name="technicalContact" defaultValue={values.technicalContact} {...p} />}
      </Field>
      <Field name="businessContact" label="Privacy contact" hint="Someone who knows the privacy programme." error={errors.businessContact}>
        {(p) => <input type="email" name="businessContact" defaultValue={values.businessContact} {...p} />}
      </Field>
      <Field name="logoUrl" label="Logo (optional)" hint="A square logo agents may show, starting with https://." error={errors.logoUrl}>
        {(p) => <input type="url" name="logoUrl" defaultValue={values.logoUrl} {...p} />}
      </Field>
      <Field name="privacyPolicyUrl" label="Privacy policy (optional)" error={errors.privacyPolicyUrl}>
        {(p) => <input type="url" name="privacyPolicyUrl" defaultValue={values.privacyPolicyUrl} {...p} />}
      </Field>
      <Field name="webUrl" label="Website (optional)" hint="The organisation's home page; this portal's address if left empty." error={errors.webUrl}>
        {(p) => <input type="url" name="webUrl" defaultValue={values.webUrl} {...p} />}
      </Field>
      <div>
        <button className="primary" type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </button>
      </div>
    </form>
  );
}

const AGENT_LABELS: Record<string, string> = { id: "Agent id", name: "Name", verifyKey: "Verify key", contact: "Technical contact", website: "Agent's website" };

const SITE_HINT = "The web_url of its directory entry. Once a person has confirmed a request the agent sent, they are offered a link back to the agent, only to an address on this site. Empty: no link back.";

export function AgentForm() {
  const [state, action, pending] = useActionState<ActionState, FormData>(registerAgentAction, null);
  const summary = useFocusOnRefusal<HTMLDivElement>(state);
  const errors = state?.fieldErrors ?? {};
  const values = state?.ok ? {} : (state?.values ?? {});
  return (
    <form action={action} className="stacked" noValidate key={JSON.stringify(state)}>
      <ErrorSummary ref={summary} message={state?.ok === false ? state.message : undefined} fieldErrors={errors} labels={AGENT_LABELS} />
      <div role="status">{state?.ok ? <p className="notice success">{state.message}</p> : null}</div>
      <Field name="id" label="Agent id" hint="As the network's agent directory lists it, for example CR_AA_DRP_ID_001." error={errors.id}>
        {(p) => <input name="id" defaultValue={values.id} spellCheck={false} {...p} />}
      </Field>
      <Field name="name" label="Name" hint="As people know the agent, for example Permission Slip." error={errors.name}>
        {(p) => <input name="name" defaultValue={values.name} {...p} />}
      </Field>
      <Field name="verifyKey" label="Verify key" hint="The agent's verify_key from the directory: base64 of its Ed25519 public key." error={errors.verifyKey}>
        {(p) => <input name="verifyKey" defaultValue={values.verifyKey} spellCheck={false} autoComplete="off" {...p} />}
      </Field>
      <Field name="contact" label="Agent's technical contact (optional)" error={errors.contact}>
        {(p) => <input type="email" name="contact" defaultValue={values.contact} {...p} />}
      </Field>
      <Field name="website" label="Agent's website (optional)" hint={SITE_HINT} error={errors.website}>
        {(p) => <input type="url" name="website" defaultValue={values.website} spellCheck={false} {...p} />}
      </Field>
      <div className="choice">
        <input type="checkbox" id="field-trustsVerifiedEmail" name="trustsVerifiedEmail" value="yes" defaultChecked={values.trustsVerifiedEmail === "yes"} />
        <label htmlFor="field-trustsVerifiedEmail">
          Take this agent&apos;s verified email addresses as proof: a request it marks <code>email_verified</code> goes straight into the
          queue, without a confirmation email to the person
        </label>
      </div>
      <div>
        <button className="primary" type="submit" disabled={pending}>
          {pending ? "Registering…" : "Register the agent"}
        </button>
      </div>
    </form>
  );
}

/** An agent's website, changed in its row of the table: the only site the way back to it may lead to. */
export function AgentSiteForm({ id, name, webUrl }: { id: string; name: string; webUrl: string | null }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(setAgentSiteAction, null);
  const value = state?.ok === false ? (state.values?.webUrl ?? "") : (webUrl ?? "");
  const error = state?.fieldErrors?.webUrl ?? state?.fieldErrors?.id;
  const inputId = `site-${id}`;
  return (
    <form action={action} className="inline-form" key={JSON.stringify(state)}>
      <input type="hidden" name="id" value={id} />
      <label className="visually-hidden" htmlFor={inputId}>
        Website of {name}
      </label>
      <input
        id={inputId}
        type="url"
        name="webUrl"
        defaultValue={value}
        placeholder="none"
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${inputId}-error` : undefined}
      />{" "}
      <button className="secondary" type="submit" disabled={pending} aria-label={`Save the website of ${name}`}>
        Save
      </button>
      <span role="status">
        {error ? (
          <span className="field-error" id={`${inputId}-error`}>
            {" "}
            {error}
          </span>
        ) : state?.message ? (
          <span className={state.ok ? "muted" : "field-error"}> {state.message}</span>
        ) : null}
      </span>
    </form>
  );
}
