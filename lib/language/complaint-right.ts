import type { Regime } from "@/db/schema";
import { wordsFor } from "./catalogue";
import type { Language } from "./languages";

/**
 * The sentence stating a supporter's right to complain, in `language`: to
 * the authority the organisation names (COMPLAINT_AUTHORITY) when it names
 * one, else to a data protection authority under gdpr (the UK's and the
 * EU's) or to their state's privacy regulator under ccpa. Every email that
 * closes a request and the access export say it of the request
 * (`"rights"`); the home page says it of how the organisation handles data
 * at all (`"home"`), before any request.
 */
export function complaintRight(language: Language, regime: Regime, authority?: string | null, said: "rights" | "home" = "rights"): string {
  const words = wordsFor(language);
  // The sentence ends with its own full stop.
  if (authority) return words(`${said}.complainTo`, { authority: authority.replace(/[.\s]+$/, "") });
  return words(regime === "ccpa" ? `${said}.complainCcpa` : `${said}.complain`);
}
