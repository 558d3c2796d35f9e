import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { requests } from "@/db/schema";
import { appendEvent } from "@/lib/audit/event-log";
import { enqueueMail } from "@/lib/mail/outbox";
import { cancellationMail } from "@/lib/mail/templates";
import type { PortalContext } from "@/lib/portal/context";
import { checkTransition } from "@/lib/workflow/transitions";

export type CancelResult =
  | { ok: true }
  | { ok: false; reason: "not_found" | "not_allowed" | "changed"; message: string };

const NOT_FOUND = "We could not find that request among yours.";

/** A supporter withdraws one of their own open requests. */
export function cancelRequestBySupporter(
  db: Db,
  input: { reference: string; supporterEmail: string; reason?: string; now: Date; ctx: PortalContext },
): CancelResult {
  return db.transaction((tx): CancelResult => {
    const request = tx.select().from(requests).where(eq(requests.reference, input.reference)).get();
    // Someone else's request is indistinguishable from one that does not exist.
    if (!request || request.subjectEmail !== input.supporterEmail) {
      return { ok: false, reason: "not_found", message: NOT_FOUND };
    }
    const check = checkTransition(request.status, "canceled", "supporter");
    if (!check.ok) return { ok: false, reason: "not_allowed", message: check.message };

    const updated = tx
      .update(requests)
      .set({ status: "canceled", closedAt: input.now, updatedAt: input.now, version: request.version + 1 })
      .where(and(eq(requests.id, request.id), eq(requests.version, request.version)))
      .run();
    if (updated.changes !== 1) {
      return { ok: false, reason: "changed", message: "This request changed while you were looking at it. Please check it again." };
    }
    appendEvent(tx, {
      requestId: request.id,
      at: input.now,
      actorType: "supporter",
      // The request names its owner; the log does not (see actorEmail in request-change.ts).
      actorEmail: null,
      action: "canceled",
      fromStatus: request.status,
      toStatus: "canceled",
      note: input.reason ?? null,
    });
    enqueueMail(
      tx,
      {
        ...cancellationMail({
          orgName: input.ctx.orgName,
          reference: request.reference,
          type: request.type,
          requestUrl: `${input.ctx.appUrl}/requests`,
        }),
        to: request.subjectEmail,
        kind: "cancellation",
        requestId: request.id,
      },
      { now: input.now, appUrl: input.ctx.appUrl },
    );
    return { ok: true };
  });
}
