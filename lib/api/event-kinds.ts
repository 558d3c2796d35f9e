/**
 * The events other programs hear of: a fixed list of kinds, each read off
 * the request's own log (request_events), so the stream and the
 * subscriptions say exactly what the record says, in the record's order.
 * Only these kinds leave Rightsdesk; internal notes, assignments and the
 * like never do.
 */
import type { RequestStatus } from "@/db/schema";
import type { EventKind } from "@/lib/requests/lifecycle/events";

export const PUBLIC_EVENT_KINDS = [
  "request.received",
  "request.in_review",
  "request.awaiting_supporter",
  "request.supporter_replied",
  "request.extended",
  "request.due_soon",
  "request.overdue",
  "request.approved",
  "request.completed",
  "request.refused",
  "request.canceled",
] as const;
export type PublicEventKind = (typeof PUBLIC_EVENT_KINDS)[number];

export const EVENT_KIND_WORDS: Record<PublicEventKind, string> = {
  "request.received": "A request entered the queue: its sender confirmed their address, or staff recorded it",
  "request.in_review": "Staff started reviewing it",
  "request.awaiting_supporter": "Staff asked the supporter something; the clock is stopped",
  "request.supporter_replied": "The supporter answered; the clock runs again",
  "request.extended": "The deadline was extended",
  "request.due_soon": "Less than a quarter of the time to answer is left",
  "request.overdue": "The due date has passed",
  "request.approved": "Staff approved it",
  "request.completed": "It was carried out and closed",
  "request.refused": "It was refused, with the reason sent to the supporter",
  "request.canceled": "It was cancelled",
};

/** The internal actions of the deadline sweep (lib/api/deadline-notices.ts). */
export const DUE_SOON_ACTION = "due_soon" satisfies EventKind;
export const OVERDUE_ACTION = "overdue" satisfies EventKind;

/** The actions that map to a kind whatever status they lead to (they change none). */
const BY_ACTION: Record<string, PublicEventKind> = {
  extended: "request.extended",
  [DUE_SOON_ACTION]: "request.due_soon",
  [OVERDUE_ACTION]: "request.overdue",
};

/** The internal actions the stream reads, for SQL; everything else in the log is left out. */
export const MAPPED_ACTIONS = Object.keys(BY_ACTION);

/**
 * The public kind of a logged event, or null for one that stays inside.
 * A move to a status says what happened; a move back to in review from
 * waiting is the supporter's reply.
 */
export function publicKindOf(event: { action: string; fromStatus: RequestStatus | null; toStatus: RequestStatus | null }): PublicEventKind | null {
  const byAction = Object.hasOwn(BY_ACTION, event.action) ? BY_ACTION[event.action]! : null;
  if (byAction) return byAction;
  switch (event.toStatus) {
    case "received":
      return "request.received";
    case "in_review":
      return event.fromStatus === "awaiting_supporter" ? "request.supporter_replied" : "request.in_review";
    case "awaiting_supporter":
      return "request.awaiting_supporter";
    case "approved":
      return "request.approved";
    case "completed":
      return "request.completed";
    case "denied":
      return "request.refused";
    case "canceled":
      return "request.canceled";
    default:
      return null;
  }
}

export function isPublicEventKind(value: string): value is PublicEventKind {
  return (PUBLIC_EVENT_KINDS as readonly string[]).includes(value);
}
