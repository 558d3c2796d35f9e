import { randomBytes } from "node:crypto";
import { and, desc, eq, gt, isNull } from "drizzle-orm";
import type { Db, Executor, Tx } from "@/db/connection";
import { drpAgents, drpRequests, requestDrafts, type RequestType } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { createSignInLink, SIGN_IN_LINK_MINUTES } from "@/lib/auth/sign-in-link";
import { checkSupporterLimitsNow } from "@/lib/requests/intake/supporter-limits";
import { enqueueMail } from "@/lib/mail/outbox";
import { confirmRequestMail } from "@/lib/mail/emails/confirm-request";
import { limitReachedMail } from "@/lib/mail/emails/limit-reached";
import type { PortalContext } from "@/lib/settings/portal-context";
import { orgNameFor } from "@/lib/settings/org-name";
import { BASE_LANGUAGE, type Language } from "@/lib/language/languages";
import { confirmPathFor } from "./confirm-draft";
import type { RequestSubmission } from "@/lib/vocabulary/request-details";

export const DRAFT_LIFETIME_MS = 24 * 60 * 60_000;

/**
 * Stores a request its sender has not yet proved is theirs, and emails the
 * link that proves it. The draft, the link's token and the email commit together.
 *
 * When a per-supporter limit already refuses it, nothing is stored and the
 * address is sent the refusal instead of a link: the sender is not known to
 * own the address, so the answer on screen must not differ. (The limit is
 * checked again when the link is followed.)
 */
export function createDraft(
  db: Db,
  input: {
    submission: RequestSubmission;
    now: Date;
    ctx: PortalContext;
    /**
     * For a draft another program files (lib/api): the id it follows the
     * request by, carried to the request on confirmation, and its own record
     * of the filing, written in the same transaction as the draft.
     */
    intake?: {
      id: string;
      record(tx: Tx): void;
      /** Its own record of a filing a per-supporter limit refused, written in the same transaction as the email that tells the person why. */
      refused?(tx: Tx, programMessage: string): void;
    };
  },
): { drafted: true } | { drafted: false; message: string; programMessage: string } {
  const { submission, now, ctx } = input;
  const language = submission.language ?? ctx.defaultLanguage ?? BASE_LANGUAGE;
  const key = randomBytes(18).toString("base64url");
  return inTransaction(db, (tx) => {
    const limit = checkSupporterLimitsNow(tx, { email: submission.email, type: submission.type, now, ctx, language });
    if (!limit.ok) {
      enqueueMail(
        tx,
        {
          ...limitReachedMail.draft({
            language,
            orgName: orgNameFor(tx, language, ctx),
            type: submission.type,
            reason: limit.message,
            requestsUrl: `${ctx.appUrl}/requests`,
          }),
          to: submission.email,
          kind: "limit-reached",
        },
        { now, appUrl: ctx.appUrl },
      );
      input.intake?.refused?.(tx, limit.programMessage);
      return { drafted: false, message: limit.message, programMessage: limit.programMessage };
    }
    tx.insert(requestDrafts)
      .values({
        key,
        type: submission.type,
        email: submission.email,
        name: submission.name ?? null,
        details: submission.details,
        language,
        createdAt: now,
        expiresAt: new Date(now.getTime() + DRAFT_LIFETIME_MS),
        intakeId: input.intake?.id ?? null,
      })
      .run();
    input.intake?.record(tx);
    emailDraftLink(tx, { key, email: submission.email, type: submission.type, language, intakeId: input.intake?.id ?? null }, { now, ctx });
    return { drafted: true };
  });
}

/**
 * The authorised agent that filed a draft (Data Rights Protocol), if one did. The person did not write the request
 * themselves, so the email names who did rather than saying they asked: an agent they never chose is then plain to see.
 */
function agentOf(tx: Tx, intakeId: string | null): string | undefined {
  if (!intakeId) return undefined;
  return tx.select({ name: drpAgents.name }).from(drpRequests).innerJoin(drpAgents, eq(drpAgents.id, drpRequests.agentId)).where(eq(drpRequests.id, intakeId)).get()?.name;
}

/** The email with the link that confirms a draft: a new single-use link each time. */
function emailDraftLink(
  tx: Tx,
  draft: { key: string; email: string; type: RequestType; language: Language; intakeId: string | null },
  input: { now: Date; ctx: PortalContext },
): void {
  const { now, ctx } = input;
  const agent = agentOf(tx, draft.intakeId);
  const link = createSignInLink(tx, {
    email: draft.email,
    callbackPath: confirmPathFor(draft.key),
    now,
    appUrl: ctx.appUrl,
    secret: ctx.authSecret,
  });
  enqueueMail(
    tx,
    {
      ...confirmRequestMail.draft({
        language: draft.language,
        orgName: orgNameFor(tx, draft.language, ctx),
        link,
        type: draft.type,
        linkMinutes: SIGN_IN_LINK_MINUTES,
        ...(agent ? { agent } : {}),
      }),
      to: draft.email,
      kind: "confirm-request",
      sensitive: true,
    },
    { now, appUrl: ctx.appUrl },
  );
}

/**
 * "Send it again" on the check-your-inbox page: a fresh link for the newest
 * draft of this address still waiting to be confirmed. When there is none
 * (it was confirmed, expired, or a limit refused it) nothing is sent, and the
 * caller answers the same either way, so the page reveals nothing.
 */
export function resendDraftLink(db: Db, input: { email: string; now: Date; ctx: PortalContext }): { sent: boolean } {
  return inTransaction(
    db,
    (tx) => {
      const draft = tx
        .select({ key: requestDrafts.key, email: requestDrafts.email, type: requestDrafts.type, language: requestDrafts.language, intakeId: requestDrafts.intakeId })
        .from(requestDrafts)
        .where(and(eq(requestDrafts.email, input.email), isNull(requestDrafts.requestId), gt(requestDrafts.expiresAt, input.now)))
        .orderBy(desc(requestDrafts.createdAt), desc(requestDrafts.id))
        .get();
      if (!draft) return { sent: false };
      emailDraftLink(tx, draft, input);
      return { sent: true };
    },
  );
}

/** An authorised agent's draft while it still waits: not confirmed, not expired (a revoked one is deleted). */
function waitingAgentDraft(db: Executor, input: { intakeId: string; now: Date }) {
  return db
    .select({ key: requestDrafts.key, email: requestDrafts.email, type: requestDrafts.type, language: requestDrafts.language, intakeId: requestDrafts.intakeId })
    .from(requestDrafts)
    .where(and(eq(requestDrafts.intakeId, input.intakeId), isNull(requestDrafts.requestId), gt(requestDrafts.expiresAt, input.now)))
    .get();
}

/**
 * The address an authorised agent's draft waits at, while it still waits:
 * for the limits on links sent to an address, checked before
 * `resendAgentDraftLink`. It is never shown to whoever asks.
 */
export function waitingAgentDraftAddress(db: Db, input: { intakeId: string; now: Date }): string | null {
  return waitingAgentDraft(db, input)?.email ?? null;
}

/**
 * "Send me a new link" on the page an agent sends the person to: a link
 * lasts SIGN_IN_LINK_MINUTES while the draft waits DRAFT_LIFETIME_MS, and
 * the person cannot file the request again themselves, so they can have a
 * fresh link for it, to the address the agent gave, as long as it waits.
 */
export function resendAgentDraftLink(db: Db, input: { intakeId: string; now: Date; ctx: PortalContext }): { sent: boolean } {
  return inTransaction(db, (tx) => {
    const draft = waitingAgentDraft(tx, input);
    if (!draft) return { sent: false };
    emailDraftLink(tx, draft, input);
    return { sent: true };
  });
}
