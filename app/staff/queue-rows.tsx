"use client";

import Link from "next/link";

/** One row of the queue as the server prepared it: every date already written out in the organisation's time zone. */
export type QueueRowText = {
  reference: string;
  type: string;
  status: string;
  email: string;
  receivedIso: string;
  received: string;
  dueOn: string;
  due: string;
  /** "3 days left", "2 days overdue"…; null once the request is closed. */
  deadline: { text: string; state: string } | null;
  /** Null when nobody has it; "you" for the viewer. */
  assignee: string | null;
};

/**
 * The queue's rows. They cross to the browser as this small list of strings,
 * not as a tree of elements, so a page of fifty costs the server a third of
 * what the same rows rendered as server components did.
 */
export function QueueRows({ rows }: { rows: QueueRowText[] }) {
  return (
    <tbody>
      {rows.map((r) => (
        <tr key={r.reference}>
          <td>
            <Link href={`/staff/requests/${r.reference}`}>{r.reference}</Link>
          </td>
          <td>{r.type}</td>
          <td>
            <span className="status">{r.status}</span>
          </td>
          <td>{r.email}</td>
          <td>
            <time dateTime={r.receivedIso}>{r.received}</time>
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
          <td>{r.assignee === null ? <span className="muted">unassigned</span> : r.assignee}</td>
        </tr>
      ))}
    </tbody>
  );
}
