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
  canceled: { words: "Request canceled", supporterSees: true },
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
};

export function describeEvent(action: string): string {
  return ownValue(EVENT_KINDS, action)?.words ?? action;
}

/** Whether the supporter sees events of this kind in their request's history. */
export function supporterSeesEvent(action: string): boolean {
  return ownValue(EVENT_KINDS, action)?.supporterSees === true;
}
