/**
 * Every kind of event a request's history holds: how it reads, for
 * supporters and staff alike, and whether the supporter sees it. What a
 * supporter sees is an allow-list: only kinds marked `supporterSees` here,
 * so a new kind is staff-only until someone decides otherwise, and a kind
 * this table does not know (one added without an entry, or written by a
 * newer version) is never shown to a supporter.
 */
import { ownValue } from "@/lib/http/own-value";

type EventKind = { words: string; supporterSees: boolean };

const EVENT_KINDS: Record<string, EventKind> = {
  filed: { words: "Request received and email address confirmed", supporterSees: true },
  recorded: { words: "Request recorded by staff", supporterSees: true },
  review_started: { words: "Review started", supporterSees: true },
  assigned: { words: "Assignment changed", supporterSees: false },
  question: { words: "Question sent to the supporter", supporterSees: true },
  reply: { words: "The supporter answered", supporterSees: true },
  extended: { words: "Deadline extended", supporterSees: true },
  approved: { words: "Request approved", supporterSees: true },
  completed: { words: "Request completed", supporterSees: true },
  denied: { words: "Request refused", supporterSees: true },
  canceled: { words: "Request cancelled", supporterSees: true },
  note: { words: "Internal note", supporterSees: false },
  flagged_excessive: { words: "Flagged as possibly excessive", supporterSees: false },
  limit_overridden: { words: "Per-supporter limit overridden by staff", supporterSees: false },
  downloaded: { words: "Data export downloaded", supporterSees: true },
  message: { words: "Message", supporterSees: true },
  erased: { words: "Data erased", supporterSees: true },
  corrected: { words: "Corrections applied", supporterSees: true },
  correction_decided: { words: "Proposed change decided", supporterSees: false },
  tasks_created: { words: "Outside systems asked to act", supporterSees: false },
  task_done: { words: "Outside system done", supporterSees: false },
  // The completion that follows carries the answer; this is only the step through approval.
  answered: { words: "Concern answered", supporterSees: false },
  // Nothing has happened to the supporter's data until the second approval.
  erasure_first_approval: { words: "First of two approvals given", supporterSees: false },
  // Staff looking at the export is staff's own record.
  export_previewed: { words: "Access export previewed by staff (nothing sent)", supporterSees: false },
  export_opened: { words: "Access export as sent opened by staff", supporterSees: false },
  // Recorded by the deadline sweep (lib/api/deadline-notices.ts) so other programs hear of it; staff see the dates anyway.
  due_soon: { words: "Deadline near: less than a quarter of the time to answer is left", supporterSees: false },
  overdue: { words: "Deadline passed", supporterSees: false },
};

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
