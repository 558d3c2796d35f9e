/** The kinds of value emails are rendered with, shared by their schemas. */
import { z } from "zod";
import { REQUEST_TYPES } from "@/db/schema";

export const text = z.string();
export const httpUrl = z.string().regex(/^https?:\/\/\S+$/, "an http(s) address");
export const calendarDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a YYYY-MM-DD date");
export const requestType = z.enum(REQUEST_TYPES);
export const reference = z.string().regex(/^RD-[0-9A-Z]{4}-[0-9A-Z]{4}$/, "a request reference");
/** The signed receipt a closing email ends with (lib/record/receipts.ts); absent in messages queued before receipts. */
export const signedReceipt = z.string().nullable().optional();
/** The references of requests merged into the one an email closes (see AlsoAnswers); none by default. */
export const alsoReferences = z.array(reference).default([]);
