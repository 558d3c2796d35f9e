"use client";

import { useTranslations } from "next-intl";
import type { ReactNode } from "react";

/** The GOV.UK-style list of what to fix, linking to each field. */
export function ErrorSummary({ message, fieldErrors, labels }: {
  message?: string;
  fieldErrors?: Record<string, string>;
  labels?: Record<string, string>;
}) {
  const t = useTranslations("formBits");
  const entries = Object.entries(fieldErrors ?? {});
  if (!message && entries.length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1}>
      <h2>{entries.length > 0 ? t("problem") : message}</h2>
      {entries.length > 0 ? (
        <ul>
          {entries.map(([field, error]) => (
            <li key={field}>
              <a href={`#field-${field}`}>{labels?.[field] ? `${labels[field]}: ${error}` : error}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function FieldError({ id, error }: { id: string; error?: string }) {
  const t = useTranslations("formBits");
  return error ? (
    <p className="field-error" id={`${id}-error`}>
      <span className="visually-hidden">{t("error")} </span>
      {error}
    </p>
  ) : null;
}

export function Field({
  name,
  label,
  hint,
  error,
  children,
}: {
  name: string;
  label: string;
  hint?: string;
  error?: string;
  children: (props: { id: string; "aria-describedby"?: string; "aria-invalid"?: boolean; className?: string }) => ReactNode;
}) {
  const id = `field-${name}`;
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <FieldError id={id} error={error} />
      {children({
        id,
        ...(describedBy ? { "aria-describedby": describedBy } : {}),
        ...(error ? { "aria-invalid": true, className: "invalid" } : {}),
      })}
    </div>
  );
}
