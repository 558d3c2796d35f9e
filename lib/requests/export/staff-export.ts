/**
 * Staff's view of an access export: a preview before it is released, built
 * from the records as approval would build it but never stored, and the
 * export as it was sent. Either look is written to the request's record.
 */
import { eq } from "drizzle-orm";
import type { Db, Tx } from "@/db/connection";
import { inTransaction } from "@/db/transaction";
import { accessExports, requests, type RequestRow } from "@/db/schema";
import { isOpen } from "@/lib/requests/lifecycle/transitions";
import { buildAccessExport, type AccessExport } from "./build-access-export";
import { orgNameFor } from "@/lib/settings/org-name";
import type { PortalContext } from "@/lib/settings/portal-context";
import { recordEvent, type EventKind } from "@/lib/requests/lifecycle/events";

export const PREVIEWED_ACTION = "export_previewed" satisfies EventKind;
export const OPENED_ACTION = "export_opened" satisfies EventKind;

export type StaffExportResult =
  | { ok: true; content: AccessExport; builtAt: Date }
  | { ok: false; reason: "not_found" | "not_allowed"; message: string };

function lookedAt(tx: Tx, request: RequestRow, input: { staffEmail: string; now: Date }, action: EventKind, note: string): void {
  // The request itself does not change (no new version), so nobody's open form goes stale because someone looked.
  recordEvent(tx, { requestId: request.id, at: input.now, actorType: "staff", actorEmail: input.staffEmail, action, fromStatus: null, toStatus: null, note });
}

/**
 * What the supporter would receive if the export were built now: the same
 * builder approval uses, run in a transaction that stores nothing but the
 * record of the preview.
 */
export function previewAccessExport(
  db: Db,
  input: { reference: string; staffEmail: string; ctx: Pick<PortalContext, "orgName" | "defaultLanguage" | "complaintAuthority">; now: Date },
): StaffExportResult {
  return inTransaction(
    db,
    (tx) => {
      const request = tx.select().from(requests).where(eq(requests.reference, input.reference)).get();
      if (!request) return { ok: false, reason: "not_found", message: "We could not find that request." };
      if (request.type !== "access") return { ok: false, reason: "not_allowed", message: "Only an access request has an export to preview." };
      if (!isOpen(request.status)) {
        return { ok: false, reason: "not_allowed", message: "This request is closed: open the export as it was sent instead of a preview." };
      }
      // In the request's language, with the organisation's words in it, exactly as approval would build it.
      const content = buildAccessExport(tx, {
        request,
        orgName: orgNameFor(tx, request.language, input.ctx),
        now: input.now,
        defaultLanguage: input.ctx.defaultLanguage,
        complaintAuthority: input.ctx.complaintAuthority,
      });
      lookedAt(tx, request, input, PREVIEWED_ACTION, "Built for staff to check before release; not stored and not sent.");
      return { ok: true, content, builtAt: input.now };
    },
  );
}

/** The export as it was stored for the supporter, for staff to see what was sent. */
export function openSentExport(db: Db, input: { reference: string; staffEmail: string; now: Date }): StaffExportResult {
  return inTransaction(
    db,
    (tx) => {
      const row = tx
        .select({ request: requests, builtAt: accessExports.builtAt, content: accessExports.content })
        .from(requests)
        .innerJoin(accessExports, eq(accessExports.requestId, requests.id))
        .where(eq(requests.reference, input.reference))
        .get();
      if (!row) return { ok: false, reason: "not_found", message: "No export was sent for this request." };
      lookedAt(tx, row.request, input, OPENED_ACTION, "The export as sent to the supporter, opened by staff.");
      return { ok: true, content: row.content as AccessExport, builtAt: row.builtAt };
    },
  );
}

/** Whether the request page offers a preview, the export as sent, or neither. */
export function staffExportChoices(db: Db, request: Pick<RequestRow, "id" | "type" | "status">): { preview: boolean; sent: boolean } {
  if (request.type !== "access") return { preview: false, sent: false };
  const sent = db.select({ id: accessExports.id }).from(accessExports).where(eq(accessExports.requestId, request.id)).get() !== undefined;
  return { preview: isOpen(request.status) && !sent, sent };
}
