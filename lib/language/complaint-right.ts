import type { Regime } from "@/db/schema";
import { wordsFor } from "./catalogue";
import type { Language } from "./languages";

/**
 * The sentence stating a supporter's right to complain, in `language`: to
 * the authority the organisation names (COMPLAINT_AUTHORITY) when it names
 * one, else to a data protection authority under gdpr (the UK's and the
 * EU's) or to their state's privacy regulator under ccpa. Every email that
 * closes a request and the access export say it.
 */
export function complaintRight(language: Language, regime: Regime, authority?: string | null): string {
  const words = wordsFor(language);
  // The sentence ends with its own full stop.
  if (authority) return words("rights.complainTo", { authority: authority.replace(/[.\s]+$/, "") });
  return words(regime === "ccpa" ? "rights.complainCcpa" : "rights.complain");
}
