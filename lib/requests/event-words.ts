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
  answered: "Concern answered",
  erasure_first_approval: "First of two approvals given",
  export_previewed: "Access export previewed by staff (nothing sent)",
  export_opened: "Access export as sent opened by staff",
};

/** Events only staff see. */
export const INTERNAL_ACTIONS: ReadonlySet<string> = new Set([
  "note",
  "assigned",
  "flagged_excessive",
  "limit_overridden",
  "correction_decided",
  "tasks_created",
  "task_done",
  // The completion that follows carries the answer; this is only the step through approval.
  "answered",
  // Nothing has happened to the supporter's data until the second approval.
  "erasure_first_approval",
  // Staff looking at the export is staff's own record.
  "export_previewed",
  "export_opened",
]);

export function describeEvent(action: string): string {
  return EVENT_WORDS[action] ?? action;
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
