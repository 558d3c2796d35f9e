"use client";

import { startTransition, useActionState, useEffect, useId, useState, type FormEvent, type RefObject } from "react";
import { ErrorSummary, useFocusOnRefusal } from "@/app/_components/form-bits";
import type { ActionState } from "@/server/action";
import { bulkAction } from "./bulk/actions";
import styles from "./queue.module.css";

type Choice = { value: string; label: string };

/** What the bulk form needs from the page: the filter in force (to act on every match) and who can be given requests. */
export type QueueBulk = {
  filterFields: Record<string, string>;
  /** The filter's first page is not all of it: "every request matching" means more than the rows shown. */
  morePages: boolean;
  assignees: Choice[];
};

export const BULK_FORM_ID = "bulk-form";

const ACTIONS: Choice[] = [
  { value: "start_review", label: "Start review (and take those nobody has)" },
  { value: "assign", label: "Assign" },
  { value: "approve", label: "Approve (carried out at once)" },
  { value: "refuse", label: "Refuse, with one reason" },
  { value: "close", label: "Close without acting, with one reason" },
];

const LABELS: Record<string, string> = { action: "What to do", scope: "Which requests", assignee: "Assign to", reason: "Reason", confirmErasure: "Erasures" };

/**
 * The form under the queue's rows that acts on many requests at once: the
 * ticked rows (their boxes belong to this form) or every request matching
 * the filter. Everything is a plain control, so it works by keyboard: the
 * rows' boxes come first in the tab order, then this form.
 */
export function BulkBar({ bulk, tickedCount, table }: { bulk: QueueBulk; tickedCount: number; table: RefObject<HTMLTableElement | null> }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(bulkAction, null);
  const summary = useFocusOnRefusal<HTMLDivElement>(state);
  const id = useId();
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  // Sent by hand rather than as the form's action, so nothing is reset afterwards: the ticked rows (whose boxes
  // belong to this form) and every choice stay as they were, for a correction or the confirmation of a number.
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => action(data));
  };
  const [chosen, setChosen] = useState(state?.values?.action ?? "start_review");
  const [scope, setScope] = useState(tickedCount > 0 || !bulk.morePages ? "selected" : "filter");
  // The count the server asked to confirm, for the action it was asked for ("approve:10000").
  const confirmedToken = state?.values?.confirmedCount;
  const confirmedCount = confirmedToken && confirmedToken.startsWith(`${chosen}:`) ? confirmedToken.slice(chosen.length + 1) : undefined;
  useEffect(() => {
    if (tickedCount > 0) setScope("selected");
  }, [tickedCount]);
  const errors = state?.fieldErrors ?? {};

  const tickAll = (on: boolean) => {
    for (const box of table.current?.querySelectorAll<HTMLInputElement>("input[data-row-select]") ?? []) {
      if (box.checked !== on) box.click();
    }
  };

  return (
    <form
      id={BULK_FORM_ID}
      action={action}
      onSubmit={submit}
      data-ready={ready ? "true" : undefined}
      className={`stacked ${styles.bulk ?? ""}`}
      aria-labelledby={`${id}-heading`}
      noValidate
    >
      <h2 id={`${id}-heading`}>Act on several requests</h2>
      <p className="hint">
        Tick requests in the list (by keyboard: Tab to a row&apos;s box, Space to tick it, the up and down arrow keys to move between
        rows), or choose every request matching the filter. Each is carried out on its own, as on its page, with its own email; any
        that cannot be are listed afterwards, with why.
      </p>
      <ErrorSummary ref={summary} message={state?.ok === false && !confirmedToken ? state.message : undefined} fieldErrors={errors} labels={LABELS} />
      {confirmedToken ? (
        <p className="notice warning" role="alert">
          {state?.message}
        </p>
      ) : null}
      {Object.entries(bulk.filterFields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {confirmedCount && scope === "filter" ? <input type="hidden" name="confirmedCount" value={confirmedToken} /> : null}
      <fieldset>
        <legend>Which requests</legend>
        <div className="choice">
          <input type="radio" id={`${id}-selected`} name="scope" value="selected" checked={scope === "selected"} onChange={() => setScope("selected")} />
          <label htmlFor={`${id}-selected`}>The {tickedCount === 1 ? "request" : `${tickedCount} requests`} ticked on this page</label>
        </div>
        <div className="choice">
          <input type="radio" id={`${id}-filter`} name="scope" value="filter" checked={scope === "filter"} onChange={() => setScope("filter")} />
          <label htmlFor={`${id}-filter`}>Every request matching this filter{bulk.morePages ? ", on every page" : ""}</label>
        </div>
        <p>
          <button type="button" className="link-button" onClick={() => tickAll(true)}>
            Tick every row on this page
          </button>{" "}
          ·{" "}
          <button type="button" className="link-button" onClick={() => tickAll(false)}>
            Untick all
          </button>
        </p>
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-action`}>What to do</label>
        <select id={`${id}-action`} name="action" value={chosen} onChange={(e) => setChosen(e.target.value)}>
          {ACTIONS.map((a) => (
            <option key={a.value} value={a.value}>
              {a.label}
            </option>
          ))}
        </select>
      </div>
      {chosen === "assign" ? (
        <div className="field">
          <label htmlFor={`${id}-assignee`}>Assign to</label>
          <select id={`${id}-assignee`} name="assignee" defaultValue={state?.values?.assignee ?? ""}>
            <option value="">Nobody (back to the team)</option>
            {bulk.assignees.map((a) => (
              <option key={a.value} value={a.value}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {chosen === "refuse" || chosen === "close" ? (
        <div className="field">
          <label htmlFor={`${id}-reason`}>Reason, sent to every supporter</label>
          <p className="hint" id={`${id}-reason-hint`}>
            {chosen === "refuse" ? "Each is also told of their right to complain to the supervisory authority." : "For example: sent to us by mistake."}
          </p>
          <textarea id={`${id}-reason`} name="reason" rows={3} defaultValue={state?.values?.reason} aria-describedby={`${id}-reason-hint`} />
        </div>
      ) : null}
      {chosen === "approve" ? (
        <div className="choice">
          <input type="checkbox" id={`${id}-erasure`} name="confirmErasure" value="yes" />
          <label htmlFor={`${id}-erasure`}>
            I have checked what approval does to each erasure among them: their records are deleted at once (donations kept anonymised for
            tax), and it cannot be undone. Without this, erasures are left as they are.
          </label>
        </div>
      ) : null}
      <div>
        <button className="primary" type="submit" disabled={pending}>
          {pending ? "Working…" : confirmedCount && scope === "filter" ? `Yes, apply to all ${Number(confirmedCount).toLocaleString("en-GB")}` : "Apply"}
        </button>
      </div>
    </form>
  );
}
