/**
 * Every kind of event a request's history holds, in one table: how it reads
 * (for supporters and staff alike), whether the supporter sees it, and the
 * shape of what it carries. What a supporter sees is an allow-list derived
 * from this table: only kinds marked `supporterSees`, so a new kind is
 * staff-only until someone decides otherwise, and a kind this table does not
 * know (one written by a newer version, or by hand) is never shown to a
 * supporter.
 *
 * An event carries a note: some kinds always (the question asked, the reason
 * for an extension), others when there is something to say. `recordEvent`
 * and the one change path check each event against its kind before it joins
 * the chained log, so a kind's note cannot go missing by mistake.
 */
import { z } from "zod";
import type { Executor } from "@/db/connection";
import type { RequestEvent } from "@/db/schema";
import { appendEvent, type NewEvent } from "@/lib/audit/event-log";
import { ownValue } from "@/lib/http/own-value";

/** Carries a sentence: the event means nothing without it. */
const withNote = z.object({ note: z.string().min(1, "needs a note") });
/** May carry a sentence, or nothing. */
const mayNote = z.object({ note: z.string().nullable() });

type Kind = { words: string; supporterSees: boolean; data: typeof withNote | typeof mayNote };

export const EVENT_KINDS = {
  filed: { words: "Request received and email address confirmed", supporterSees: true, data: mayNote },
  recorded: { words: "Request recorded by staff", supporterSees: true, data: mayNote },
  review_started: { words: "Review started", supporterSees: true, data: mayNote },
  assigned: { words: "Assignment changed", supporterSees: false, data: mayNote },
  question: { words: "Question sent to the supporter", supporterSees: true, data: withNote },
  reply: { words: "The supporter answered", supporterSees: true, data: withNote },
  extended: { words: "Deadline extended", supporterSees: true, data: withNote },
  approved: { words: "Request approved", supporterSees: true, data: mayNote },
  completed: { words: "Request completed", supporterSees: true, data: mayNote },
  denied: { words: "Request refused", supporterSees: true, data: mayNote },
  canceled: { words: "Request cancelled", supporterSees: true, data: mayNote },
  note: { words: "Internal note", supporterSees: false, data: withNote },
  flagged_excessive: { words: "Flagged as possibly excessive", supporterSees: false, data: withNote },
  limit_overridden: { words: "Per-supporter limit overridden by staff", supporterSees: false, data: withNote },
  downloaded: { words: "Data export downloaded", supporterSees: true, data: withNote },
  message: { words: "Message", supporterSees: true, data: withNote },
  erased: { words: "Data erased", supporterSees: true, data: withNote },
  corrected: { words: "Corrections applied", supporterSees: true, data: withNote },
  correction_decided: { words: "Proposed change decided", supporterSees: false, data: withNote },
  tasks_created: { words: "Outside systems asked to act", supporterSees: false, data: withNote },
  task_done: { words: "Outside system done", supporterSees: false, data: withNote },
  // A connected system's failure that trying again cannot mend: the task waits for staff.
  task_stopped: { words: "Outside system stopped: not tried again", supporterSees: false, data: withNote },
  task_retried: { words: "Outside system to be tried again", supporterSees: false, data: withNote },
  // The completion that follows carries the answer; this is only the step through approval.
  answered: { words: "Concern answered", supporterSees: false, data: mayNote },
  // Nothing has happened to the supporter's data until the second approval.
  erasure_first_approval: { words: "First of two approvals given", supporterSees: false, data: withNote },
  // Staff looking at the export is staff's own record.
  export_previewed: { words: "Access export previewed by staff (nothing sent)", supporterSees: false, data: withNote },
  export_opened: { words: "Access export as sent opened by staff", supporterSees: false, data: withNote },
  // Written by the log itself (lib/audit/redaction.ts) when it removes what was written in the request's earlier events.
  content_removed_erasure: { words: "What was written was removed: the supporter's data was erased", supporterSees: false, data: mayNote },
  content_removed_retention: { words: "Reduced to its statistics: the retention period passed", supporterSees: false, data: mayNote },
  // Brought by the calendar, not by a step: recorded by the deadline sweep (lib/api/deadline-notices.ts) so other programs hear of it in order.
  due_soon: { words: "Deadline near: less than a quarter of the time to answer is left", supporterSees: false, data: withNote },
  overdue: { words: "Deadline passed", supporterSees: false, data: withNote },
  // A possible duplicate is staff's question; the supporter hears only if two requests become one.
  duplicate_flagged: { words: "Possible duplicate flagged", supporterSees: false, data: withNote },
  duplicate_kept: { words: "Kept apart from a possible duplicate", supporterSees: false, data: withNote },
  merged: { words: "Merged with an earlier request: both are answered together", supporterSees: true, data: withNote },
  merged_in: { words: "A later request was merged into this one", supporterSees: true, data: withNote },
} as const satisfies Record<string, Kind>;

/** The kind of an event: one of the table's keys, and nothing else, wherever an event is written. */
export type EventKind = keyof typeof EVENT_KINDS;

/** The kinds a supporter sees in their request's history. */
export const SUPPORTER_EVENT_KINDS: readonly EventKind[] = (Object.keys(EVENT_KINDS) as EventKind[]).filter((kind) => EVENT_KINDS[kind].supporterSees);

/** The two kinds that mark a request a per-supporter limit flagged, and staff overriding that limit. */
export const FLAGGED_ACTION = "flagged_excessive" satisfies EventKind;
export const OVERRIDDEN_ACTION = "limit_overridden" satisfies EventKind;

/** Thrown when code writes an event its kind does not allow: a mistake in the code, never in what a person typed. */
export class EventShapeError extends Error {
  override name = "EventShapeError";
}

/** Checks an event's note against its kind. */
export function checkEventData(kind: EventKind, note: string | null): void {
  const checked = EVENT_KINDS[kind].data.safeParse({ note });
  if (!checked.success) throw new EventShapeError(`A "${kind}" event ${checked.error.issues[0]?.message ?? "does not fit its kind"}.`);
}

/** A request event of a known kind, checked against it and appended to the chained log in the caller's transaction. */
export function recordEvent(tx: Executor, event: NewEvent & { action: EventKind }): RequestEvent {
  checkEventData(event.action, event.note);
  return appendEvent(tx, event);
}

/** The note a "downloaded" event carries for each format of the export. */
export const DOWNLOAD_NOTES = { json: "JSON file", html: "readable page" } as const;

/** Stored events are read back as text: a kind this version does not know reads as itself. */
export function describeEvent(action: string): string {
  return ownValue(EVENT_KINDS, action)?.words ?? action;
}

/** Whether the supporter sees events of this kind in their request's history. */
export function supporterSeesEvent(action: string): boolean {
  return ownValue(EVENT_KINDS, action)?.supporterSees === true;
}

/**
 * A concern's message, named by who wrote it: a supporter reads "Your
 * message" and "Message from <organisation> staff"; staff read who wrote it
 * to whom (the timeline names the staff member who sent one).
 */
export function describeMessage(author: "supporter" | "staff" | "system", reader: "supporter" | "staff", orgName: string): string {
  if (reader === "supporter") return author === "supporter" ? "Your message" : `Message from ${orgName} staff`;
  return author === "supporter" ? "Message from the supporter" : "Message to the supporter";
}
