import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { REQUEST_STATUSES, REQUEST_TYPES, type RequestStatus } from "@/db/schema";
import { addDays, calendarDateIn } from "@/lib/calendar/dates";
import { LANGUAGES } from "@/lib/language/languages";
import { QUEUE_PAGE_SIZE, type QueueRow } from "@/lib/queue/list-queue";
import { parseQueueQuery, type SearchParams } from "@/lib/queue/queue-query";
import { queuePageView } from "@/lib/queue/queue-view";
import type { StatusCounts } from "@/lib/queue/count-by-status";
import { deadlineOf } from "@/lib/calendar/deadlines";
import { isOpen } from "@/lib/requests/lifecycle/transitions";
import { describeStatus } from "@/lib/vocabulary/request-statuses";
import { requestTypeLabel } from "@/lib/vocabulary/request-types";
import { defaultsBanner } from "@/lib/settings/defaults";
import { getSettings } from "@/server/settings";
import { READING_ROLES, requireStaff } from "@/server/viewer";
import { QueueScreen, type Assignee } from "../../queue-screen";

export const metadata: Metadata = { title: "Staff queue" };

const FIRST_NAMES = ["ada", "grace", "alan", "katherine", "edsger", "barbara", "donald", "frances", "john", "margaret"];
const LAST_NAMES = ["lovelace", "hopper", "turing", "johnson", "dijkstra", "liskov", "knuth", "allen", "backus", "hamilton"];
const REFERENCE_LETTERS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function reference(i: number): string {
  let n = 7919 * (i + 1) * 104_729;
  let out = "";
  for (let k = 0; k < 8; k++) {
    out += REFERENCE_LETTERS[n % 32];
    n = Math.floor(n / 32) + 17 * k;
  }
  return `RD-${out.slice(0, 4)}-${out.slice(4)}`;
}

/** A page of requests of every type and status, made once when the server loads this page, as the database would give them. */
function rowsInMemory(now: Date, timeZone: string): QueueRow[] {
  const today = calendarDateIn(now, timeZone);
  return Array.from({ length: QUEUE_PAGE_SIZE }, (_, i): QueueRow => {
    const type = REQUEST_TYPES[i % REQUEST_TYPES.length]!;
    const status: RequestStatus = REQUEST_STATUSES[(i * 7) % REQUEST_STATUSES.length]!;
    const receivedAt = new Date(now.getTime() - (i + 1) * 3_600_000 * 7);
    const receivedOn = calendarDateIn(receivedAt, timeZone);
    const dueOn = addDays(receivedOn, 30);
    const name = `${FIRST_NAMES[i % 10]}.${LAST_NAMES[(i * 3) % 10]}${i}`;
    return {
      reference: reference(i),
      type,
      typeLabel: requestTypeLabel(type),
      language: LANGUAGES[i % LANGUAGES.length]!,
      status,
      statusLabel: describeStatus(status),
      email: `${name}@example.org`,
      erased: false,
      receivedAt,
      dueOn,
      deadline: isOpen(status) ? deadlineOf(receivedOn, dueOn, today) : null,
      assigneeEmail: i % 3 === 0 ? "casework@bench.example" : null,
      intakeId: null,
      possibleDuplicate: i % 17 === 0,
    };
  });
}

let held: { rows: QueueRow[]; counts: StatusCounts; assignees: Assignee[] } | null = null;

function heldInMemory(timeZone: string) {
  if (held) return held;
  const rows = rowsInMemory(new Date(), timeZone);
  const byStatus = REQUEST_STATUSES.map((status, i) => ({ status, label: describeStatus(status), count: 1000 * (i + 1) + 37 }));
  const counts = { byStatus, total: byStatus.reduce((sum, s) => sum + s.count, 0) };
  const assignees = [
    { email: "admin@bench.example", role: "admin" },
    { email: "casework@bench.example", role: "caseworker" },
  ];
  held = { rows, counts, assignees };
  return held;
}

/**
 * The benchmark's floor for the queue (npm run bench): the staff queue's own
 * screen, with the same session check, layout, filters and number of rows,
 * laid out from rows held in memory, with no database at all. "Not found"
 * unless the server was started with BENCH_ROUTES=1.
 */
export default async function BenchQueuePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  if (!getSettings().benchRoutes) notFound();
  const viewer = await requireStaff("/staff", READING_ROLES);
  const settings = getSettings();
  const query = parseQueueQuery(await searchParams);
  const { rows, counts, assignees } = heldInMemory(settings.timeZone);
  const last = rows[rows.length - 1]!;
  const view = queuePageView(query, { rows, next: { sort: "received", receivedAt: last.receivedAt.getTime(), id: 1 } }, counts);
  return (
    <QueueScreen banner={defaultsBanner(settings)} viewer={viewer} view={view} timeZone={settings.timeZone} origins={new Map()} assignees={assignees} />
  );
}
