/** The kinds of value emails are rendered with, shared by their schemas. */
import { z } from "zod";
import { REGIMES, REQUEST_TYPES } from "@/db/schema";
import { BASE_LANGUAGE, isLanguage } from "@/lib/language/languages";

export const text = z.string();
export const httpUrl = z.string().regex(/^https?:\/\/\S+$/, "an http(s) address");
export const calendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a YYYY-MM-DD date");
export const requestType = z.enum(REQUEST_TYPES);
export const reference = z.string().regex(/^RD-[0-9A-Z]{4}-[0-9A-Z]{4}$/, "a request reference");
/**
 * The language an email to a supporter is written in. Messages queued before
 * there was more than one language have none and were English; a code this
 * version has no catalogue for reads as English too, rather than never sending.
 */
export const language = z
  .string()
  .optional()
  .transform((value) => (isLanguage(value) ? value : BASE_LANGUAGE));
/** The signed receipt a closing email ends with (lib/record/receipts.ts); absent in messages queued before receipts. */
export const signedReceipt = z.string().nullable().optional();
/** The references of requests merged into the one an email closes (see AlsoAnswers); none by default. */
export const alsoReferences = z.array(reference).default([]);
/**
 * The legal regime the request is answered under (the request's own), which decides where the supporter may
 * complain; messages queued before it was stored were all written under gdpr's wording.
 */
export const regime = z.enum(REGIMES).default("gdpr");
