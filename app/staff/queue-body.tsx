"use client";

import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { BULK_FORM_ID, BulkBar, type QueueBulk } from "./bulk-bar";
import styles from "./queue.module.css";

/** One row of the queue as the server prepared it: every date already written out in the organisation's time zone. */
export type QueueRowText = {
  reference: string;
  type: string;
  /** The language to write to the supporter in, named in English. */
  language: string;
  status: string;
  /** The address, or "erased" once the requester's data was erased. */
  email: string;
  erased: boolean;
  receivedIso: string;
  received: string;
  dueOn: string;
  due: string;
  /** "3 days left", "2 days overdue"…; null once the request is closed. */
  deadline: { text: string; state: string } | null;
  /** Null when nobody has it; "you" for the viewer. */
  assignee: string | null;
  /** For a request another program filed: "API key CRM" or "agent Permission Slip". */
  via: string | null;
  /** An open question of a duplicate is on it. */
  possibleDuplicate: boolean;
};

type Choice = { value: string; label: string };

/** A filter of the form: its field name, label, the "any" choice (if it has one), the value in force and the choices. */
type QueueSelect = { name: string; label: string; anyLabel: string | null; value: string; choices: Choice[] };

/** Everything below the heading, as plain strings and numbers: the server works it out, this only lays it out. */
export type QueueBodyView = {
  counts: Array<{ key: string; label: string; count: number; href: string; current: boolean }>;
  search: string;
  selects: QueueSelect[];
  clearHref: string | null;
  caption: string;
  emptyText: string;
  rows: QueueRowText[];
  firstPageHref: string | null;
  nextPageHref: string | null;
  /** The bulk form, for staff who work requests; null for an auditor, who changes nothing. */
  bulk: QueueBulk | null;
};

/**
 * The queue's GET form. Its controls must show the view in the address bar:
 * a page brought back whole by the back button (the back-forward cache) still
 * holds what was chosen before leaving it, so it is reset to the values it was
 * rendered with. `autoComplete="off"` stops the browser restoring them otherwise.
 */
function FilterForm({ view }: { view: QueueBodyView }) {
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted) form.current?.reset();
    };
    window.addEventListener("pageshow", onPageShow);
    return () => window.removeEventListener("pageshow", onPageShow);
  }, []);
  // A plain GET form: the filters land in the URL, so a view can be shared and the back button works.
  return (
    <form ref={form} action="/staff" method="get" autoComplete="off" role="search" aria-label="Filter requests" className={styles.filters}>
      <div className={`field ${styles.search ?? ""}`}>
        <label htmlFor="queue-q">Email or reference</label>
        <input type="search" id="queue-q" name="q" defaultValue={view.search} spellCheck={false} aria-describedby="queue-q-hint" />
        <p className="hint" id="queue-q-hint">
          A whole address, its start, or a reference such as RD-7K3Q-9XWM.
        </p>
      </div>
      {view.selects.map((s) => (
        <div className="field" key={s.name}>
          <label htmlFor={`queue-${s.name}`}>{s.label}</label>
          <select id={`queue-${s.name}`} name={s.name} defaultValue={s.value}>
            {s.anyLabel === null ? null : <option value="">{s.anyLabel}</option>}
            {s.choices.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
      ))}
      <div className={styles.actions}>
        <button className="primary" type="submit">
          Show requests
        </button>
        {view.clearHref ? <a href={view.clearHref}>Clear filters</a> : null}
      </div>
    </form>
  );
}

/** Up and down arrows (or J and K) move between the rows' boxes, as Tab would through every link between them. */
function moveBetweenRows(event: KeyboardEvent<HTMLTableSectionElement>) {
  const keys: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, j: 1, k: -1 };
  const step = keys[event.key];
  const target = event.target as HTMLElement;
  if (step === undefined || !target.matches("input[data-row-select]")) return;
  const boxes = [...event.currentTarget.querySelectorAll<HTMLInputElement>("input[data-row-select]")];
  const next = boxes[boxes.indexOf(target as HTMLInputElement) + step];
  if (next) {
    event.preventDefault();
    next.focus();
  }
}

function Rows({ rows, selectable, onTick }: { rows: QueueRowText[]; selectable: boolean; onTick: () => void }) {
  return (
    <tbody onKeyDown={selectable ? moveBetweenRows : undefined}>
      {rows.map((r) => (
        <tr key={r.reference}>
          <td>
            {selectable ? (
              <input
                type="checkbox"
                className={styles.select}
                form={BULK_FORM_ID}
                name={`r:${r.reference}`}
                data-row-select
                aria-label={`Select ${r.reference}`}
                onChange={onTick}
              />
            ) : null}
            <a href={`/staff/requests/${r.reference}`}>{r.reference}</a>
          </td>
          <td>
            {r.type}
            <br />
            <span className="muted">{r.language}</span>
            {r.via ? (
              <>
                <br />
                <span className="muted">via {r.via}</span>
              </>
            ) : null}
          </td>
          <td>
            <span className="status">{r.status}</span>
            {r.possibleDuplicate ? (
              <>
                {" "}
                <span className="status">possible duplicate</span>
              </>
            ) : null}
          </td>
          <td>
            <time dateTime={r.dueOn}>{r.due}</time>
            {r.deadline ? (
              <>
                <br />
                <span className={`deadline-${r.deadline.state}`}>{r.deadline.text}</span>
              </>
            ) : null}
          </td>
          <td>{r.erased ? <span className="muted">erased</span> : r.email}</td>
          <td>
            <time dateTime={r.receivedIso}>{r.received}</time>
          </td>
          <td>{r.assignee === null ? <span className="muted">unassigned</span> : r.assignee}</td>
        </tr>
      ))}
    </tbody>
  );
}

/**
 * The queue below its heading: counts by status, the filters, the rows and
 * the page links. It crosses to the browser as this one object of strings,
 * not as a tree of elements, which is what the server's time per page is
 * mostly spent on (README, "Benchmark"). Its links are plain links: a page
 * of fifty rows must not set off fifty prefetches of request pages.
 */
export function QueueBody({ view }: { view: QueueBodyView }) {
  const table = useRef<HTMLTableElement>(null);
  const [ticked, setTicked] = useState(0);
  const countTicked = () => setTicked(table.current?.querySelectorAll("input[data-row-select]:checked").length ?? 0);
  return (
    <>
      <nav aria-label="Requests by status">
        <ul className={styles.counts}>
          {view.counts.map((c) => (
            <li key={c.key}>
              <a href={c.href} aria-current={c.current ? "true" : undefined}>
                {c.label} <strong>{c.count}</strong>
              </a>
            </li>
          ))}
        </ul>
      </nav>

      <FilterForm view={view} />

      {view.rows.length === 0 ? (
        <p>{view.emptyText}</p>
      ) : (
        // Wide: a table that fits its box (addresses wrap, references never do). Narrow: each row is a card
        // (queue.module.css), so nothing is clipped and Due shows on every one.
        <table className={styles.queue} ref={table}>
          <caption>{view.caption}</caption>
          <thead>
            <tr>
              <th scope="col">Reference</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col">Due</th>
              <th scope="col">Email</th>
              <th scope="col">Received</th>
              <th scope="col">Assignee</th>
            </tr>
          </thead>
          <Rows rows={view.rows} selectable={view.bulk !== null} onTick={countTicked} />
        </table>
      )}
      <nav aria-label="Pages" className={styles.pages}>
        {view.firstPageHref ? <a href={view.firstPageHref}>First page</a> : null}
        {view.nextPageHref ? <a href={view.nextPageHref}>Next page</a> : null}
      </nav>
      {view.bulk && view.rows.length > 0 ? <BulkBar bulk={view.bulk} tickedCount={ticked} table={table} /> : null}
    </>
  );
}
