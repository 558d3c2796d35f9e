import type { Regime } from "@/db/schema";
import { wordsFor } from "./catalogue";
import type { Language } from "./languages";

/**
 * The sentence stating a supporter's right to complain, in `language`: to a
 * data protection authority under gdpr, to their state's privacy regulator
 * under ccpa. Every email that closes a request and the access export say it.
 */
export function complaintRight(language: Language, regime: Regime): string {
  return wordsFor(language)(regime === "ccpa" ? "rights.complainCcpa" : "rights.complain");
}
