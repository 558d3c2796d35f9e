import type { RequestType } from "@/db/schema";

export type RequestTypeInfo = {
  type: RequestType;
  /** A short name, used in lists and subject lines. */
  label: string;
  /** What the supporter asks for, in their words. */
  ask: string;
  /** What happens next, in plain language. */
  explanation: string;
  /** The link that starts one, saying where it goes. */
  start: string;
};

export const REQUEST_TYPE_INFO: Record<RequestType, RequestTypeInfo> = {
  access: {
    type: "access",
    label: "See my data",
    ask: "Show me the information you hold about me",
    explanation:
      "We send you a copy of everything we hold about you, as a page you can read and a file you can keep, and tell you why we hold it, who we share it with and how long we keep it.",
    start: "Ask to see your data",
  },
  correction: {
    type: "correction",
    label: "Correct my data",
    ask: "Fix details you hold about me that are wrong",
    explanation:
      "Tell us what is wrong and what it should say. We check each change and tell you which ones we made.",
    start: "Ask us to correct your data",
  },
  erasure: {
    type: "erasure",
    label: "Delete my data",
    ask: "Delete the information you hold about me",
    explanation:
      "We delete your records. If the law makes us keep something, such as donation records for tax, we tell you what and for how long.",
    start: "Ask us to delete your data",
  },
  unsubscribe: {
    type: "unsubscribe",
    label: "Stop emails",
    ask: "Take me off every mailing list",
    explanation: "We take you off every mailing list and keep you off.",
    start: "Stop our emails",
  },
  concern: {
    type: "concern",
    label: "Raise a concern",
    ask: "Tell you about a worry with how my data is used",
    explanation: "Tell us what worries you. A member of our team reads it and answers you in writing.",
    start: "Raise a concern with us",
  },
};

export function requestTypeLabel(type: RequestType): string {
  return REQUEST_TYPE_INFO[type].label;
}
