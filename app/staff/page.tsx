import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { daysLeftText } from "@/app/_components/dates";
import { getDb } from "@/db/client";
import { formatCalendarDate, formatInstant } from "@/lib/mail/format";
import type { QueueRow } from "@/lib/queue/list-queue";
import { canonicalQueueRedirect, parseQueueQuery, type SearchParams } from "@/lib/queue/queue-query";
import { loadQueuePage } from "@/lib/queue/queue-view";
import { getSettings } from "@/server/settings";
import { requireStaff } from "@/server/viewer";
import { FilterForm } from "./filter-form";
import { QueueRows, type QueueRowText } from "./queue-rows";
import styles from "./queue.module.css";

export const metadata: Metadata = { title: "Staff queue" };

function Select({ name, label, anyLabel, value, choices }: {
  name: string;
  label: string;
  anyLabel?: string;
  value: string | null;
  choices: Array<{ value: string; label: string }>;
}) {
  return (
    <div className="field">
      <label htmlFor={`queue-${name}`}>{label}</label>
      <select id={`queue-${name}`} name={name} defaultValue={value ?? ""}>
        {anyLabel ? <option value="">{anyLabel}</option> : null}
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Everything a row shows, written out here so the rows can cross to the browser as plain strings. */
function rowText(r: QueueRow, viewerEmail: string, timeZone: string): QueueRowText {
  return {
    reference: r.reference,
    type: r.typeLabel,
    status: r.statusLabel,
    email: r.email,
    receivedIso: r.receivedAt.toISOString(),
    received: formatInstant(r.receivedAt, timeZone),
    dueOn: r.dueOn,
    due: formatCalendarDate(r.dueOn),
    deadline: r.deadline ? { text: daysLeftText(r.deadline), state: r.deadline.state } : null,
    assignee: r.assigneeEmail === null ? null : r.assigneeEmail === viewerEmail ? "you" : r.assigneeEmail,
  };
}

export default async function StaffQueuePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const viewer = await requireStaff("/staff");
  const { timeZone } = getSettings();
  const params = await searchParams;
  const query = parseQueueQuery(params);
  // Empty form fields and ignored values leave the address bar, so it names exactly the view shown.
  const canonical = canonicalQueueRedirect(params, query);
  if (canonical) redirect(canonical);
  const view = loadQueuePage(getDb(), { query, viewerEmail: viewer.email, now: new Date(), timeZone });
  const { choices } = view;
  return (
    <>
      <h1>Request queue</h1>
      <p className="muted">
        Signed in as {viewer.email} ({viewer.role}).
      </p>

      <nav aria-label="Requests by status">
        <ul className={styles.counts}>
          <li>
            <Link href={view.clearHref} aria-current={!view.filtered ? "true" : undefined}>
              all <strong>{view.total}</strong>
            </Link>
          </li>
          {view.counts.map((c) => (
            <li key={c.status}>
              <Link href={c.href} aria-current={c.current ? "true" : undefined}>
                {c.label} <strong>{c.count}</strong>
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      {/* A plain GET form: the filters land in the URL, so a view can be shared and the back button works. */}
      <FilterForm action="/staff" role="search" aria-label="Filter requests" className={styles.filters}>
        <div className={`field ${styles.search ?? ""}`}>
          <label htmlFor="queue-q">Email or reference</label>
          <input type="search" id="queue-q" name="q" defaultValue={query.q} spellCheck={false} aria-describedby="queue-q-hint" />
          <p className="hint" id="queue-q-hint">
            A whole address, its start, or a reference such as RD-7K3Q-9XWM.
          </p>
        </div>
        <Select name="status" label="Status" anyLabel="Any status" value={query.status} choices={choices.status} />
        <Select name="type" label="Type" anyLabel="Any type" value={query.type} choices={choices.type} />
        <Select name="deadline" label="Deadline" anyLabel="Any deadline" value={query.deadline} choices={choices.deadline} />
        <Select name="assigned" label="Assigned" anyLabel="Anyone or no one" value={query.assigned} choices={choices.assigned} />
        <Select name="sort" label="Order" value={query.sort} choices={choices.sort} />
        <div className={styles.actions}>
          <button className="primary" type="submit">
            Show requests
          </button>
          {view.filtered ? <Link href={view.clearHref}>Clear filters</Link> : null}
        </div>
      </FilterForm>

      {view.rows.length === 0 ? (
        <p>{view.emptyText}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <caption>{view.caption}</caption>
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">Email</th>
                <th scope="col">Received</th>
                <th scope="col">Due</th>
                <th scope="col">Assignee</th>
              </tr>
            </thead>
            <QueueRows rows={view.rows.map((r) => rowText(r, viewer.email, timeZone))} />
          </table>
        </div>
      )}
      <nav aria-label="Pages" className={styles.pages}>
        {view.firstPageHref ? <Link href={view.firstPageHref}>First page</Link> : null}
        {view.nextPageHref ? <Link href={view.nextPageHref}>Next page</Link> : null}
      </nav>
    </>
  );
}
