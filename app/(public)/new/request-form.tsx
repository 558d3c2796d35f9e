"use client";

import { useTranslations } from "next-intl";
import { useActionState, useState } from "react";
import { ErrorSummary, Field, FieldError, useFocusOnRefusal } from "@/app/_components/form-bits";
import type { RequestType } from "@/db/schema";
import type { ActionState } from "@/server/action";
import { submitRequest } from "./actions";

type FormActionFn = (state: ActionState, formData: FormData) => Promise<ActionState>;

type TypeChoice = { type: RequestType; label: string; ask: string };

/**
 * The form's words. A supporter reads them about themselves, in their
 * language (from the catalogue); staff recording a request read them about
 * the requester, in English like the rest of the staff pages.
 */
type Words = {
  typeLegend: string;
  changesLegend: string;
  changesHint: string;
  erasure: string;
  concern: string;
  concernHint: string;
  note: string;
  name: string;
  nameHint: string;
};

const STAFF_WORDS: Words = {
  typeLegend: "What is the requester asking for?",
  changesLegend: "What do they want corrected?",
  changesHint: "Fill in only the details they say are wrong, with what they should say.",
  erasure:
    "The requester wants their data deleted, and understands this cannot be undone and that records the law requires us to keep (such as donation records for tax) will be kept.",
  concern: "Their concern",
  concernHint: "What happened, in their words, and what they would like us to do.",
  note: "Anything else they told you (optional)",
  name: "The requester's name (optional)",
  nameHint: "It helps find their records.",
};

/**
 * The error summary's names for the fields as staff see them: about the
 * requester, as the fields are labelled, never the supporter's "Your …".
 * (The new values of a correction are labelled alike for both.)
 */
const STAFF_FIELD_LABELS: Record<string, string> = {
  channel: "How it arrived",
  receivedOn: "Date it arrived",
  identityCheck: "Identity check",
  limitOverride: "Limit override",
  language: "Language",
  type: "What they are asking for",
  email: "The requester's email address",
  name: "The requester's name",
  note: "Anything else they told you",
  changes: "What they want corrected",
  confirmErasure: "The requester's confirmation",
  message: STAFF_WORDS.concern,
};

/** The fields as the form shows them, top to bottom (the staff's own first), which the list of what to fix follows. */
const FIELD_ORDER = [
  "channel",
  "receivedOn",
  "identityCheck",
  "limitOverride",
  "language",
  "type",
  "changes",
  "correct_name",
  "correct_email",
  "correct_postalAddress",
  "correct_phone",
  "confirmErasure",
  "message",
  "note",
  "name",
  "email",
] as const;

const SUMMARY_FIELDS = ["type", "email", "name", "note", "changes", "correct_name", "correct_email", "correct_postalAddress", "correct_phone", "confirmErasure", "message"] as const;

export function RequestForm({
  choices,
  initialType,
  signedInEmail,
  recording,
  action: submit = submitRequest,
}: {
  choices: TypeChoice[];
  initialType: RequestType | null;
  signedInEmail: string | null;
  /**
   * Staff recording a request that arrived another way: extra fields, the
   * requester's address is typed, and the language to write to them in is
   * chosen.
   */
  recording?: { today: string; languages: Array<{ code: string; name: string }>; defaultLanguage: string };
  action?: FormActionFn;
}) {
  const [state, action, pending] = useActionState<ActionState, FormData>(submit, null);
  const t = useTranslations("requestForm");
  const bits = useTranslations("formBits");
  // The staff form is in English; the supporter's follows their language's punctuation (French: "Voir mes données : …").
  const colon = recording ? ": " : bits("colon");
  const words: Words = recording
    ? STAFF_WORDS
    : {
        typeLegend: t("typeLegend"),
        changesLegend: t("changesLegend"),
        changesHint: t("changesHint"),
        erasure: t("erasure"),
        concern: t("concern"),
        concernHint: t("concernHint"),
        note: t("note"),
        name: t("name"),
        nameHint: t("nameHint"),
      };
  const fieldLabels: Record<string, string> = recording
    ? { ...STAFF_FIELD_LABELS, correct_name: t("newName"), correct_email: t("newEmail"), correct_postalAddress: t("newPostalAddress"), correct_phone: t("newPhone") }
    : Object.fromEntries(SUMMARY_FIELDS.map((field) => [field, t(`labels.${field}`)]));
  const [type, setType] = useState<string>(state?.values?.type ?? initialType ?? "");
  const summary = useFocusOnRefusal<HTMLDivElement>(state);
  const errors = state?.fieldErrors ?? {};
  const values = state?.values ?? {};

  // Inputs are uncontrolled; the key makes them take the echoed values after a failed submit.
  const formKey = JSON.stringify(values);

  return (
    <form action={action} className="stacked" noValidate key={formKey}>
      <ErrorSummary ref={summary} message={state?.ok === false ? state.message : undefined} fieldErrors={errors} labels={fieldLabels} order={FIELD_ORDER} />

      {recording ? (
        <>
          <fieldset id="field-channel" aria-describedby={errors.channel ? "field-channel-error" : undefined}>
            <legend>How did the request arrive?</legend>
            <FieldError id="field-channel" error={errors.channel} />
            {(["post", "phone", "email"] as const).map((channel) => (
              <div className="choice" key={channel}>
                <input type="radio" id={`channel-${channel}`} name="channel" value={channel} defaultChecked={values.channel === channel} />
                <label htmlFor={`channel-${channel}`}>{{ post: "By post", phone: "By phone", email: "By email" }[channel]}</label>
              </div>
            ))}
          </fieldset>
          <Field name="receivedOn" label="Date it arrived" hint="The legal clock starts on this day." error={errors.receivedOn}>
            {(p) => <input type="date" name="receivedOn" max={recording.today} defaultValue={values.receivedOn ?? recording.today} {...p} />}
          </Field>
          <Field
            name="identityCheck"
            label="How you checked the requester's identity"
            hint="For example: replied from the address on file; called back on the number on file and confirmed the postcode."
            error={errors.identityCheck}
          >
            {(p) => <textarea name="identityCheck" rows={3} defaultValue={values.identityCheck} {...p} />}
          </Field>
          <Field
            name="limitOverride"
            label="Reason to override a per-supporter limit (optional)"
            hint="Only needed if this person already has an open request of this type, or has reached the number of access requests allowed in a year. It goes on the record."
            error={errors.limitOverride}
          >
            {(p) => <textarea name="limitOverride" rows={2} defaultValue={values.limitOverride} {...p} />}
          </Field>
          <Field
            name="language"
            label="Language to write to them in"
            hint="Every email about this request, from the receipt on, is written in it."
            error={errors.language}
          >
            {(p) => (
              <select name="language" defaultValue={values.language ?? recording.defaultLanguage} {...p}>
                {recording.languages.map((l) => (
                  <option key={l.code} value={l.code} lang={l.code}>
                    {l.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </>
      ) : null}

      <fieldset id="field-type" aria-describedby={errors.type ? "field-type-error" : undefined}>
        <legend>{words.typeLegend}</legend>
        <FieldError id="field-type" error={errors.type} />
        {choices.map((choice) => (
          <div className="choice" key={choice.type}>
            <input
              type="radio"
              id={`type-${choice.type}`}
              name="type"
              value={choice.type}
              defaultChecked={type === choice.type}
              onChange={() => setType(choice.type)}
            />
            <label htmlFor={`type-${choice.type}`}>
              <strong>{choice.label}</strong>
              {colon}
              {choice.ask}
            </label>
          </div>
        ))}
      </fieldset>

      {type === "correction" ? (
        <fieldset id="field-changes" aria-describedby={errors.changes ? "field-changes-error" : undefined}>
          <legend>{words.changesLegend}</legend>
          <p className="hint">{words.changesHint}</p>
          <FieldError id="field-changes" error={errors.changes} />
          <Field name="correct_name" label={t("newName")} error={errors.correct_name}>
            {(p) => <input type="text" name="correct_name" autoComplete="name" defaultValue={values.correct_name} {...p} />}
          </Field>
          <Field name="correct_email" label={t("newEmail")} error={errors.correct_email}>
            {(p) => <input type="email" name="correct_email" autoComplete="email" defaultValue={values.correct_email} {...p} />}
          </Field>
          <Field name="correct_postalAddress" label={t("newPostalAddress")} error={errors.correct_postalAddress}>
            {(p) => (
              <textarea name="correct_postalAddress" autoComplete="street-address" rows={4} defaultValue={values.correct_postalAddress} {...p} />
            )}
          </Field>
          <Field name="correct_phone" label={t("newPhone")} error={errors.correct_phone}>
            {(p) => <input type="tel" name="correct_phone" autoComplete="tel" defaultValue={values.correct_phone} {...p} />}
          </Field>
        </fieldset>
      ) : null}

      {type === "erasure" ? (
        <div className="field">
          <FieldError id="field-confirmErasure" error={errors.confirmErasure} />
          <div className="choice">
            <input
              type="checkbox"
              id="field-confirmErasure"
              name="confirmErasure"
              value="yes"
              defaultChecked={values.confirmErasure === "yes"}
              aria-describedby={errors.confirmErasure ? "field-confirmErasure-error" : undefined}
              aria-invalid={errors.confirmErasure ? true : undefined}
            />
            <label htmlFor="field-confirmErasure">{words.erasure}</label>
          </div>
        </div>
      ) : null}

      {type === "concern" ? (
        <Field name="message" label={words.concern} hint={words.concernHint} error={errors.message}>
          {(p) => <textarea name="message" rows={8} defaultValue={values.message} {...p} />}
        </Field>
      ) : null}

      {type === "access" || type === "correction" || type === "erasure" ? (
        <Field name="note" label={words.note} error={errors.note}>
          {(p) => <textarea name="note" rows={3} defaultValue={values.note} {...p} />}
        </Field>
      ) : null}

      <Field name="name" label={words.name} hint={words.nameHint} error={errors.name}>
        {(p) => <input type="text" name="name" autoComplete="name" defaultValue={values.name} {...p} />}
      </Field>

      {signedInEmail ? (
        <p>{t.rich("signedInAs", { email: signedInEmail, strong: (chunks) => <strong>{chunks}</strong> })}</p>
      ) : (
        <Field
          name="email"
          label={recording ? "The requester's email address" : t("email")}
          hint={recording ? "They will be sent a receipt, and can follow the request by signing in with it." : t("emailHint")}
          error={errors.email}
        >
          {(p) => <input type="email" name="email" autoComplete="email" spellCheck={false} defaultValue={values.email} {...p} />}
        </Field>
      )}

      <div>
        <button className="primary" type="submit" disabled={pending}>
          {pending ? t("sending") : recording ? "Record the request" : signedInEmail ? t("send") : t("continue")}
        </button>
      </div>
    </form>
  );
}
