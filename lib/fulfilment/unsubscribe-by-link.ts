import type { Db } from "@/db/connection";
import { inTransaction } from "@/db/transaction";
import { normalizeEmail } from "@/lib/auth/email-address";
import type { PortalContext } from "@/lib/portal/context";
import { fileRequest } from "@/lib/requests/file-request";

/**
 * The one-click link in an email (RFC 8058): the signed token already proved
 * the address, so the request is filed and carried out in one step.
 */
export function unsubscribeByLink(db: Db, input: { email: string; now: Date; ctx: PortalContext }): { reference: string } {
  return inTransaction(db, (tx) => {
    const result = fileRequest(tx, {
      submission: { type: "unsubscribe", email: normalizeEmail(input.email), details: { type: "unsubscribe" } },
      now: input.now,
      ctx: input.ctx,
      viaSignedLink: true,
    });
    // Stopping emails is never limited (lib/limits/supporter-limits.ts), so this is a programming error.
    if (!result.ok) throw new Error(`An unsubscribe was refused: ${result.message}`);
    return { reference: result.reference };
  });
}
