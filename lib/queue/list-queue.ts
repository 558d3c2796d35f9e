/**
 * The staff queue, newest first, a page at a time. Pages continue from the
 * last row seen (keyset), so page 500 costs what page 1 costs.
 */
import { and, desc, eq, lt, or } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { requests, type RequestStatus, type RequestType } from "@/db/schema";
import { requestTypeLabel } from "@/lib/requests/request-types";
import { calendarDateIn } from "@/lib/workflow/dates";
import { deadlineOf, type Deadline } from "@/lib/workflow/deadlines";
import { describeStatus, isOpen } from "@/lib/workflow/transitions";

export const QUEUE_PAGE_SIZE = 50;

export type QueueRow = {
  reference: string;
  type: RequestType;
  typeLabel: string;
  status: RequestStatus;
  statusLabel: string;
  email: string;
  receivedAt: Date;
  dueOn: string;
  deadline: Deadline | null;
};

export type QueuePage = { rows: QueueRow[]; nextCursor: string | null };

type Cursor = { receivedAt: number; id: number };

export function encodeCursor(cursor: Cursor): string {
  return `${cursor.receivedAt}.${cursor.id}`;
}

/** A cursor from the URL, or null when it is missing or not one of ours. */
export function decodeCursor(value: string | undefined): Cursor | null {
  if (!value) return null;
  const match = /^(\d{1,15})\.(\d{1,15})$/.exec(value);
  if (!match) return null;
  return { receivedAt: Number(match[1]), id: Number(match[2]) };
}

export function listQueue(
  db: Db,
  input: { after?: Cursor | null; now: Date; timeZone: string; pageSize?: number },
): QueuePage {
  const pageSize = input.pageSize ?? QUEUE_PAGE_SIZE;
  const after = input.after;
  const rows = db
    .select({
      id: requests.id,
      reference: requests.reference,
      type: requests.type,
      status: requests.status,
      email: requests.subjectEmail,
      receivedAt: requests.receivedAt,
      receivedOn: requests.receivedOn,
      dueOn: requests.dueOn,
      clockStoppedOn: requests.clockStoppedOn,
    })
    .from(requests)
    .where(
      after
        ? or(
            lt(requests.receivedAt, new Date(after.receivedAt)),
            and(eq(requests.receivedAt, new Date(after.receivedAt)), lt(requests.id, after.id)),
          )
        : undefined,
    )
    .orderBy(desc(requests.receivedAt), desc(requests.id))
    .limit(pageSize + 1)
    .all();
  const today = calendarDateIn(input.now, input.timeZone);
  const page = rows.slice(0, pageSize);
  const last = page[page.length - 1];
  return {
    rows: page.map((r) => ({
      reference: r.reference,
      type: r.type,
      typeLabel: requestTypeLabel(r.type),
      status: r.status,
      statusLabel: describeStatus(r.status),
      email: r.email,
      receivedAt: r.receivedAt,
      dueOn: r.dueOn,
      deadline: isOpen(r.status) ? deadlineOf(r.receivedOn, r.dueOn, today, r.clockStoppedOn) : null,
    })),
    nextCursor: rows.length > pageSize && last ? encodeCursor({ receivedAt: last.receivedAt.getTime(), id: last.id }) : null,
  };
}
