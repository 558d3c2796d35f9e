import { eq, sql } from "drizzle-orm";
import { preparedOnce } from "@/db/prepared";
import type { Db, Tx } from "@/db/connection";
import { requestDrafts, requests, type RequestType } from "@/db/schema";
import { inSharedTransaction } from "@/db/shared-commit";
import type { PortalContext } from "@/lib/settings/portal-context";
import { fileRequest } from "./file-request";
import type { RequestDetails, RequestSubmission } from "@/lib/vocabulary/request-details";

/** The page a confirmation link leads to once its address is proven, with the draft's key. */
export const CONFIRM_PATH = "/requests/confirm";

const DRAFT_KEY = /^[A-Za-z0-9_-]{10,64}$/;

export function isDraftKey(value: unknown): value is string {
  return typeof value === "string" && DRAFT_KEY.test(value);
}

export function confirmPathFor(draftKey: string): string {
  return `${CONFIRM_PATH}?draft=${draftKey}`;
}

/** The draft a link's destination (a path on this site) asks to confirm, if it is the confirm page with a well-formed key. */
export function draftKeyIn(destination: string, appUrl: string): string | null {
  try {
    const url = new URL(destination, appUrl);
    const key = url.searchParams.get("draft");
    return url.pathname === CONFIRM_PATH && isDraftKey(key) ? key : null;
  } catch {
    return null;
  }
}

export type ConfirmDraftResult =
  | { ok: true; reference: string; alreadyConfirmed: boolean }
  | { ok: false; reason: "not_found" | "expired" }
  /** A per-supporter limit refuses it now (it was checked when submitted too, but things change in between). */
  | { ok: false; reason: "limit"; message: string; type: RequestType };

/**
 * Confirms a draft for the signed-in owner of its address. Following the same
 * link again finds the request already made instead of making a second one.
 * Confirmations that arrive in the same turn of the server commit together
 * (db/shared-commit.ts); this resolves once this one's transaction has.
 */
export function confirmDraft(
  db: Db,
  input: { draftKey: string; viewerEmail: string; now: Date; ctx: PortalContext },
): Promise<ConfirmDraftResult> {
  return inSharedTransaction(db, (tx) => confirmDraftIn(tx, input));
}

/** `confirmDraft` inside the caller's transaction (the one that spends the emailed link and signs its owner in). */
export function confirmDraftIn(
  tx: Tx,
  input: { draftKey: string; viewerEmail: string; now: Date; ctx: PortalContext },
): ConfirmDraftResult {
  const draft = preparedOnce(tx, "confirm-draft: a draft by its key", (ex) =>
    ex.select().from(requestDrafts).where(eq(requestDrafts.key, sql.placeholder("key"))).prepare(),
  ).get({ key: input.draftKey });
  // A draft for another address is reported exactly like a missing one.
  if (!draft || draft.email !== input.viewerEmail) return { ok: false, reason: "not_found" };
  if (draft.requestId !== null) {
    const filed = tx
      .select({ reference: requests.reference })
      .from(requests)
      .where(eq(requests.id, draft.requestId))
      .get();
    return filed ? { ok: true, reference: filed.reference, alreadyConfirmed: true } : { ok: false, reason: "not_found" };
  }
  if (draft.expiresAt.getTime() <= input.now.getTime()) return { ok: false, reason: "expired" };

  const submission: RequestSubmission = {
    type: draft.type,
    email: draft.email,
    ...(draft.name ? { name: draft.name } : {}),
    details: draft.details as RequestDetails,
    language: draft.language,
  };
  const filed = fileRequest(tx, { submission, now: input.now, ctx: input.ctx, intakeId: draft.intakeId });
  if (!filed.ok) return { ok: false, reason: "limit", message: filed.message, type: draft.type };
  // The request now holds the details; the draft keeps only the link to it.
  preparedOnce(tx, "confirm-draft: the draft filed", (ex) =>
    ex
      .update(requestDrafts)
      .set({ requestId: sql`${sql.placeholder("requestId")}`, details: {}, name: null })
      .where(eq(requestDrafts.id, sql.placeholder("id")))
      .prepare(),
  ).run({ requestId: filed.id, id: draft.id });
  return { ok: true, reference: filed.reference, alreadyConfirmed: false };
}

/**
 * Where the person goes after confirming: their request, or their list with
 * a notice saying why not. A limit's sentence is worked out again on that
 * page from the current state, never carried in the address.
 */
export function confirmationLanding(result: ConfirmDraftResult): string {
  if (result.ok) return `/requests/${result.reference}?notice=confirmed`;
  if (result.reason === "limit") return `/requests?notice=limit&type=${result.type}`;
  return `/requests?notice=${result.reason === "expired" ? "draft-expired" : "draft-missing"}`;
}

/**
 * Whether the draft with this key has become a request. For a confirmation
 * link that no longer works: whoever holds the link is told their request
 * went through when it did, rather than to make it again.
 */
export function isDraftFiled(db: Db, draftKey: string): boolean {
  return db.select({ requestId: requestDrafts.requestId }).from(requestDrafts).where(eq(requestDrafts.key, draftKey)).get()?.requestId != null;
}

/** What the confirm page shows a signed-in person about one of their drafts, before they press the button. */
export type DraftToConfirm =
  | { state: "waiting"; type: RequestType; expiresAt: Date }
  | { state: "confirmed"; type: RequestType; reference: string }
  | { state: "expired" | "not_found" };

export function draftToConfirm(db: Db, input: { draftKey: string; viewerEmail: string; now: Date }): DraftToConfirm {
  const draft = db
    .select({ email: requestDrafts.email, type: requestDrafts.type, expiresAt: requestDrafts.expiresAt, reference: requests.reference })
    .from(requestDrafts)
    .leftJoin(requests, eq(requests.id, requestDrafts.requestId))
    .where(eq(requestDrafts.key, input.draftKey))
    .get();
  if (!draft || draft.email !== input.viewerEmail) return { state: "not_found" };
  if (draft.reference) return { state: "confirmed", type: draft.type, reference: draft.reference };
  if (draft.expiresAt.getTime() <= input.now.getTime()) return { state: "expired" };
  return { state: "waiting", type: draft.type, expiresAt: draft.expiresAt };
}
