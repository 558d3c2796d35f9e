"use client";

import { useTranslations } from "next-intl";
import { useEffect, useRef, type ReactNode, type Ref, type RefObject } from "react";

/**
 * Each time a form comes back refused, moves focus to what says what to fix
 * (the element given the returned ref: an ErrorSummary, or a form's one error
 * notice, with tabIndex -1), so keyboard and screen-reader users land on it
 * rather than being left on the page's body.
 */
export function useFocusOnRefusal<T extends HTMLElement>(state: { ok: boolean } | null): RefObject<T | null> {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (state && !state.ok) ref.current?.focus();
  }, [state]);
  return ref;
}

/**
 * The GOV.UK-style list of what to fix, linking to each field. Give it the ref of useFocusOnRefusal to be focused when
 * shown, and `order`, the form's fields as they come on the page, so the list reads in that order rather than the
 * order the checks ran in (fields it does not name come last).
 */
export function ErrorSummary({ message, fieldErrors, labels, order = [], ref }: {
  message?: string;
  fieldErrors?: Record<string, string>;
  labels?: Record<string, string>;
  order?: readonly string[];
  ref?: Ref<HTMLDivElement>;
}) {
  const t = useTranslations("formBits");
  const place = (field: string) => (order.includes(field) ? order.indexOf(field) : order.length);
  const entries = Object.entries(fieldErrors ?? {}).sort(([a], [b]) => place(a) - place(b));
  if (!message && entries.length === 0) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref}>
      <h2>{entries.length > 0 ? t("problem") : message}</h2>
      {entries.length > 0 ? (
        <ul>
          {entries.map(([field, error]) => (
            <li key={field}>
              <a href={`#field-${field}`}>{labels?.[field] ? `${labels[field]}${t("colon")}${error}` : error}</a>
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
