import { eq, sql } from "drizzle-orm";
import { preparedOnce } from "@/db/prepared";
import type { Db, Tx } from "@/db/connection";
import { requests, type RequestChannel } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { newIdentitySalt } from "@/lib/audit/request-identity";
import { carryOutUnsubscribe, type UnsubscribeSource } from "@/lib/requests/fulfilment/unsubscribe";
import { REQUEST_TYPE_INFO } from "@/lib/vocabulary/request-types";
import { requestFormWording, staffWording } from "@/lib/consent/wording";
import { checkSupporterLimits } from "@/lib/requests/intake/supporter-limits";
import { enqueueMail } from "@/lib/mail/outbox";
import { receiptMail } from "@/lib/mail/emails/receipt";
import type { PortalContext } from "@/lib/settings/portal-context";
import { orgNameFor } from "@/lib/settings/org-name";
import { BASE_LANGUAGE } from "@/lib/language/languages";
import { calendarDateIn, daysBetween, type CalendarDate } from "@/lib/calendar/dates";
import { startOfDayIn } from "@/lib/calendar/months";
import { dueDateFor } from "@/lib/calendar/deadlines";
import { noticeNewRequest } from "./new-request-notice";
import { newReference } from "@/lib/vocabulary/reference";
import { flagDuplicates } from "../lifecycle/duplicates";
import { SIGNED_LINKS, type SignedLink } from "../lifecycle/signed-links";
import { FLAGGED_ACTION, OVERRIDDEN_ACTION, recordEvent } from "../lifecycle/events";
import type { RequestSubmission } from "@/lib/vocabulary/request-details";

/** Twelve hours after a day starts: still that day wherever clocks change, since a change moves them by an hour or so. */
const MIDDAY_MS = 12 * 3_600_000;

/** A new request's columns: every one that differs between requests is a placeholder. */
const NEW_REQUEST = {
  reference: sql.placeholder("reference"),
  type: sql.placeholder("type"),
  status: "received" as const,
  subjectEmail: sql.placeholder("subjectEmail"),
  subjectName: sql.placeholder("subjectName"),
  details: sql.placeholder("details"),
  language: sql.placeholder("language"),
  channel: sql.placeholder("channel"),
  identityCheck: sql.placeholder("identityCheck"),
  regime: sql.placeholder("regime"),
  receivedAt: sql.placeholder("receivedAt"),
  receivedOn: sql.placeholder("receivedOn"),
  dueOn: sql.placeholder("dueOn"),
  updatedAt: sql.placeholder("updatedAt"),
  intakeId: sql.placeholder("intakeId"),
  identitySalt: sql.placeholder("identitySalt"),
};

function unusedReference(tx: Tx): string {
  // 40 random bits make a clash vanishingly rare; checking costs one lookup.
  for (let attempt = 0; attempt < 5; attempt++) {
    const reference = newReference();
    const taken = preparedOnce(tx, "file-request: a reference in use", (ex) =>
      ex.select({ id: requests.id }).from(requests).where(eq(requests.reference, sql.placeholder("reference"))).prepare(),
    ).get({ reference });
    if (!taken) return reference;
  }
  throw new Error("Could not find an unused request reference.");
}

/** For a request staff record by hand: how it came, who checked the identity and how. */
export type RecordedOrigin = {
  channel: Exclude<RequestChannel, "web">;
  identityCheck: string;
  receivedOn: CalendarDate;
  staffEmail: string;
  /** Staff's reason for filing it although a per-supporter limit refuses it; it goes on the record. */
  limitOverride?: string | null;
};

export type { SignedLink } from "../lifecycle/signed-links";

/** How an unsubscribe reached us when the caller does not say: staff recorded it, or the person used the request form. */
function defaultChoiceSource(recorded: RecordedOrigin | undefined): UnsubscribeSource {
  const ask = REQUEST_TYPE_INFO.unsubscribe.ask;
  return recorded ? { route: "staff", wording: staffWording(recorded.channel, ask), detail: recorded.staffEmail } : { route: "request", wording: requestFormWording(ask) };
}

export type FileResult =
  | { ok: true; id: number; reference: string }
  /** A per-supporter limit refuses it; `message` says what the limit is and when to ask again. */
  | { ok: false; reason: "limit"; message: string; staffMessage: string };

/**
 * Turns a verified submission into a request: the legal clock starts at
 * receipt. Runs inside the caller's transaction together with the receipt
 * email and the staff's new-request notices.
 */
export function fileRequest(
  tx: Tx,
  input: {
    submission: RequestSubmission;
    now: Date;
    ctx: PortalContext;
    recorded?: RecordedOrigin;
    /** Filed by following a signed link in one of our emails, without signing in. */
    signedLink?: SignedLink;
    /** For an unsubscribe: how the objection reached us, for the record of choices. */
    choice?: UnsubscribeSource;
    /** Sent by another program on the supporter's behalf (lib/api): the id it follows the request by. */
    intakeId?: string | null;
    /** How the address was proven, when not by the supporter's own link (an authorised agent's verified claim). */
    identityCheck?: string;
  },
): FileResult {
  const { submission, now, ctx, recorded } = input;
  const signed = input.signedLink ? SIGNED_LINKS[input.signedLink] : null;
  const language = submission.language ?? ctx.defaultLanguage ?? BASE_LANGUAGE;
  const intakeId = input.intakeId ?? null;
  const today = calendarDateIn(now, ctx.timeZone);
  const limit = checkSupporterLimits(tx, {
    email: submission.email,
    type: submission.type,
    today,
    regime: ctx.regime,
    limits: ctx.limits,
    language,
  });
  if (!limit.ok && !recorded?.limitOverride) {
    return { ok: false, reason: "limit", message: limit.message, staffMessage: limit.staffMessage };
  }
  const reference = unusedReference(tx);
  const receivedOn = recorded?.receivedOn ?? today;
  // A request recorded days after it arrived is placed on the day it arrived, at midday in the organisation's zone
  // (midday UTC is already the next day from UTC+12 eastwards: New Zealand, Fiji, Tonga, Kiribati).
  const receivedAt = receivedOn === today ? now : new Date(startOfDayIn(receivedOn, ctx.timeZone).getTime() + MIDDAY_MS);
  const dueOn = dueDateFor(receivedOn, ctx.regime);
  const { id } = preparedOnce(tx, "file-request: a new request", (ex) =>
    ex.insert(requests).values(NEW_REQUEST).returning({ id: requests.id }).prepare(),
  ).get({
    reference,
    type: submission.type,
    subjectEmail: submission.email,
    subjectName: submission.name ?? null,
    details: submission.details,
    language,
    channel: recorded?.channel ?? "web",
    identityCheck: recorded?.identityCheck ?? input.identityCheck ?? signed?.identityCheck ?? null,
    regime: ctx.regime,
    receivedAt,
    receivedOn,
    dueOn,
    updatedAt: now,
    intakeId,
    // Its first event, just below, commits to what the request is under it (lib/audit/request-identity.ts).
    identitySalt: newIdentitySalt(),
  })!;
  recordEvent(tx, {
    requestId: id,
    at: now,
    actorType: recorded ? "staff" : signed ? "system" : "supporter",
    // A supporter is not named in the log: the request itself says whose it is.
    actorEmail: recorded ? recorded.staffEmail : null,
    action: recorded ? "recorded" : "filed",
    fromStatus: null,
    toStatus: "received",
    note: recorded
      ? `Arrived by ${recorded.channel} on ${recorded.receivedOn}. Identity checked: ${recorded.identityCheck}`
      : signed
        ? signed.note
        : intakeId
          ? `Sent by another program on the supporter's behalf; its intake id is ${intakeId}.`
          : null,
  });
  if (!limit.ok && recorded?.limitOverride) {
    recordEvent(tx, {
      requestId: id,
      at: now,
      actorType: "staff",
      actorEmail: recorded.staffEmail,
      action: OVERRIDDEN_ACTION,
      fromStatus: null,
      toStatus: null,
      note: `${limit.staffMessage} Reason for overriding the limit: ${recorded.limitOverride}`,
    });
  } else if (limit.ok && limit.possiblyExcessive) {
    recordEvent(tx, {
      requestId: id,
      at: now,
      actorType: "system",
      actorEmail: null,
      action: FLAGGED_ACTION,
      fromStatus: null,
      toStatus: null,
      note: limit.possiblyExcessive,
    });
  }
  if (submission.type === "unsubscribe") {
    // Objection to marketing is honoured at once: no staff step, and one email saying it is done instead of a receipt.
    carryOutUnsubscribe(tx, { requestId: id, now, ctx, source: input.choice ?? defaultChoiceSource(recorded) });
    return { ok: true, id, reference };
  }
  // The same address asking for the same thing while an earlier request is open: both are flagged for staff.
  flagDuplicates(tx, { request: { id, reference, type: submission.type, subjectEmail: submission.email }, now });
  enqueueMail(
    tx,
    {
      ...receiptMail.draft({
        language,
        orgName: orgNameFor(tx, language, ctx),
        reference,
        type: submission.type,
        receivedOn,
        dueOn,
        requestUrl: `${ctx.appUrl}/requests/${reference}`,
        regime: ctx.regime,
        // Only a request the person filed by our link confirmed their address.
        arrival: recorded ? recorded.channel : input.identityCheck ? "agent" : "link",
        // Only staff recording a letter that waited can file a request already past its due date.
        late: daysBetween(today, dueOn) < 0,
      }),
      to: submission.email,
      kind: "receipt",
      requestId: id,
    },
    { now, appUrl: ctx.appUrl },
  );
  noticeNewRequest(tx, {
    request: { id, reference, type: submission.type, channel: recorded?.channel ?? "web", receivedOn, dueOn },
    recordedBy: recorded?.staffEmail ?? null,
    now,
    ctx,
  });
  return { ok: true, id, reference };
}

/** Files a request for a supporter who is already signed in: no link needed. */
export function fileVerifiedRequest(
  db: Db,
  input: { submission: RequestSubmission; now: Date; ctx: PortalContext },
): FileResult {
  return inTransaction(db, (tx) => fileRequest(tx, input));
}
