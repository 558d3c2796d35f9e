/**
 * A request that reached the organisation by post, phone or email, entered
 * by staff. The record says how it came and how identity was checked.
 */
import type { Db } from "@/db/connection";
import { REQUEST_CHANNELS, type RequestChannel } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { fieldErrorsOf, multiLineText, type FieldErrors } from "@/lib/forms/fields";
import type { PortalContext } from "@/lib/settings/portal-context";
import { addDays, daysBetween, isCalendarDate, type CalendarDate } from "@/lib/calendar/dates";
import { fileRequest } from "../intake/file-request";
import type { ParseResult } from "@/lib/forms/fields";
import { parseRequestForm } from "../intake/request-form";
import type { RequestSubmission } from "@/lib/vocabulary/request-details";
import { isLanguage, type Language } from "@/lib/language/languages";

export type RecordedRequestInput = {
  submission: RequestSubmission;
  channel: Exclude<RequestChannel, "web">;
  identityCheck: string;
  receivedOn: CalendarDate;
  /** Why staff record it although a per-supporter limit refuses it; only used when one does. */
  limitOverride?: string | null;
};

/** How far back a received date may go: a letter found late is still recorded, a typo a year off is not. */
export const RECORDED_MAX_AGE_DAYS = 90;

const identityCheck = multiLineText("How identity was checked", 1000, {
  required: "Say how you checked the requester's identity.",
});

const limitOverride = multiLineText("The reason for overriding the limit", 1000);

/**
 * Checks the staff form for a request that arrived another way. `offered`
 * are the languages the requester may be written to in (LANGUAGES).
 */
export function parseRecordedRequest(
  input: Record<string, string>,
  today: CalendarDate,
  offered: readonly Language[] = ["en"],
): ParseResult<RecordedRequestInput> {
  const fieldErrors: FieldErrors = {};
  const language = input.language === undefined || input.language === "" ? offered[0] : input.language;
  if (!isLanguage(language) || !offered.includes(language)) {
    fieldErrors.language = "Choose one of the languages listed to write to the requester in.";
  }
  const channel = REQUEST_CHANNELS.filter((c) => c !== "web").find((c) => c === input.channel);
  if (!channel) fieldErrors.channel = "Choose how the request arrived: post, phone or email.";

  const identity = identityCheck.safeParse(input.identityCheck);
  if (!identity.success) Object.assign(fieldErrors, { identityCheck: fieldErrorsOf(identity.error).form });

  const receivedOn = (input.receivedOn ?? "").trim() || today;
  if (!isCalendarDate(receivedOn)) {
    fieldErrors.receivedOn = "Give the date it arrived as a real date, like 2026-11-20.";
  } else if (daysBetween(receivedOn, today) < 0) {
    fieldErrors.receivedOn = "The date it arrived cannot be in the future.";
  } else if (daysBetween(receivedOn, today) > RECORDED_MAX_AGE_DAYS) {
    fieldErrors.receivedOn = `The date it arrived must be within the last ${RECORDED_MAX_AGE_DAYS} days (on or after ${addDays(today, -RECORDED_MAX_AGE_DAYS)}).`;
  }

  const override = limitOverride.safeParse(input.limitOverride);
  if (!override.success) Object.assign(fieldErrors, { limitOverride: fieldErrorsOf(override.error).form });

  // Staff read its sentences: about the requester, not to them.
  const request = parseRequestForm(input, { reader: "staff" });
  if (!request.ok) Object.assign(fieldErrors, request.fieldErrors);

  if (Object.keys(fieldErrors).length > 0 || !request.ok || !channel || !identity.success || !identity.data || !override.success) {
    return { ok: false, fieldErrors };
  }
  return {
    ok: true,
    value: {
      submission: { ...request.value, ...(isLanguage(language) ? { language } : {}) },
      channel,
      identityCheck: identity.data,
      receivedOn,
      ...(override.data ? { limitOverride: override.data } : {}),
    },
  };
}

export type RecordResult = { ok: true; reference: string } | { ok: false; message: string };

export function recordRequest(
  db: Db,
  input: RecordedRequestInput & { staffEmail: string; now: Date; ctx: PortalContext },
): RecordResult {
  return inTransaction(db, (tx) => {
    const filed = fileRequest(tx, {
      submission: input.submission,
      now: input.now,
      ctx: input.ctx,
      recorded: {
        channel: input.channel,
        identityCheck: input.identityCheck,
        receivedOn: input.receivedOn,
        staffEmail: input.staffEmail,
        limitOverride: input.limitOverride,
      },
    });
    return filed.ok ? { ok: true, reference: filed.reference } : { ok: false, message: filed.staffMessage };
  });
}
