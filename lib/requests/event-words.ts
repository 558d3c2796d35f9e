/** How each kind of event reads in a timeline, for supporters and staff alike. */
const EVENT_WORDS: Record<string, string> = {
  filed: "Request received and email address confirmed",
  recorded: "Request recorded by staff",
  review_started: "Review started",
  assigned: "Assignment changed",
  question: "Question sent to the supporter",
  reply: "The supporter answered",
  extended: "Deadline extended",
  approved: "Request approved",
  completed: "Request completed",
  denied: "Request refused",
  canceled: "Request cancelled",
  note: "Internal note",
  flagged_excessive: "Flagged as possibly excessive",
  limit_overridden: "Per-supporter limit overridden by staff",
  downloaded: "Data export downloaded",
  message: "Message",
  erased: "Data erased",
  corrected: "Corrections applied",
  correction_decided: "Proposed change decided",
  tasks_created: "Outside systems asked to act",
  task_done: "Outside system done",
};

/** Events only staff see. */
export const INTERNAL_ACTIONS: ReadonlySet<string> = new Set(["note", "assigned", "flagged_excessive", "limit_overridden", "correction_decided", "tasks_created", "task_done"]);

export function describeEvent(action: string): string {
  return EVENT_WORDS[action] ?? action;
}
