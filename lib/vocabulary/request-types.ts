import type { RequestType } from "@/db/schema";

/**
 * Each request type in the staff pages' English: its short name and what the
 * requester asks for. What supporters read of each type, in their language,
 * is in the catalogues (requestTypes.*).
 */
export type RequestTypeInfo = {
  type: RequestType;
  /** A short name, used in lists and subject lines. */
  label: string;
  /** What the requester asks for, in their words. */
  ask: string;
};

export const REQUEST_TYPE_INFO: Record<RequestType, RequestTypeInfo> = {
  access: {
    type: "access",
    label: "See my data",
    ask: "Show me the information you hold about me",
  },
  correction: {
    type: "correction",
    label: "Correct my data",
    ask: "Fix details you hold about me that are wrong",
  },
  erasure: {
    type: "erasure",
    label: "Delete my data",
    ask: "Delete the information you hold about me",
  },
  unsubscribe: {
    type: "unsubscribe",
    label: "Stop emails",
    ask: "Take me off every mailing list",
  },
  concern: {
    type: "concern",
    label: "Raise a concern",
    ask: "Tell you about a worry with how my data is used",
  },
};

export function requestTypeLabel(type: RequestType): string {
  return REQUEST_TYPE_INFO[type].label;
}

/**
 * Whether a request of this type is moved only by Rightsdesk itself. An
 * unsubscribe (an objection to direct marketing) is carried out the moment
 * it arrives; one still open waits for connected systems, and only their
 * answers move it. Taken into review, extended, refused or withdrawn, its
 * list servers' tasks would never run and the person would stay on lists
 * they left. applyChange and extendDeadline refuse such moves; the pages
 * offer none. Its receipt, pages and export say it was due at once.
 */
export function movesByItself(type: RequestType): boolean {
  return type === "unsubscribe";
}
