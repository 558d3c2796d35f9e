/** What a request holds, whichever way it arrived: the fields a correction may change and each type's details. */
import type { RequestType } from "@/db/schema";
import type { Language } from "@/lib/language/languages";

export const CORRECTABLE_FIELDS = ["name", "email", "postalAddress", "phone"] as const;
export type CorrectableField = (typeof CORRECTABLE_FIELDS)[number];

export const CORRECTABLE_FIELD_LABELS: Record<CorrectableField, string> = {
  name: "Name",
  email: "Email address",
  postalAddress: "Postal address",
  phone: "Phone number",
};

export type RequestDetails =
  | { type: "access"; note?: string }
  | { type: "correction"; changes: Partial<Record<CorrectableField, string>>; note?: string }
  | { type: "erasure"; confirmed: true; note?: string }
  /** `lists` names the mailing lists to leave; absent, every list (and lists added later). */
  | { type: "unsubscribe"; lists?: string[] }
  | { type: "concern"; message: string };

export type RequestSubmission = {
  type: RequestType;
  email: string;
  name?: string;
  details: RequestDetails;
  /**
   * The language it was made in (a code such as "fr"), which every email
   * about it speaks; absent, the organisation's default language.
   */
  language?: Language;
};
