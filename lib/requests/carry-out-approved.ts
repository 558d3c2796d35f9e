/**
 * What happens by itself once staff approve a request, inside the approval's
 * transaction. Request types without an automatic step stay approved for
 * staff to finish.
 */
import type { Tx } from "@/db/connection";
import type { RequestRow } from "@/db/schema";
import { storeAccessExport } from "@/lib/export/build-access-export";
import { formatInstant } from "@/lib/mail/format";
import type { PortalContext } from "@/lib/portal/context";
import { completeIfReady } from "./complete-if-ready";
import type { ChangeResult } from "./request-change";

export function carryOutApproved(tx: Tx, request: RequestRow, input: { now: Date; ctx: PortalContext }): ChangeResult {
  switch (request.type) {
    case "access": {
      const built = storeAccessExport(tx, { request, orgName: input.ctx.orgName, now: input.now });
      const until = formatInstant(new Date(built.availableUntil), input.ctx.timeZone);
      return completeIfReady(tx, request, {
        now: input.now,
        ctx: input.ctx,
        note: `Your data is ready. Sign in and open this request's page to download it, as a page to read and as a JSON file, until ${until}. Nothing is attached to this email.`,
      });
    }
    default:
      return { ok: true, request };
  }
}
