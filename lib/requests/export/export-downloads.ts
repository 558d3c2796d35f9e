/**
 * A supporter's access to their export: only the request's owner reaches it,
 * only until it expires, and every download is written to the request's
 * record.
 */
import { DOWNLOAD_NOTES } from "@/lib/requests/lifecycle/events";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { preparedOnce } from "@/db/prepared";
import { accessExports, requests } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import type { AccessExport } from "./build-access-export";
import { recordEvent } from "@/lib/requests/lifecycle/events";

export type ExportFormat = "json" | "html";

export type OwnedExport =
  | { status: "none" }
  | { status: "expired"; requestId: number; expiredAt: Date }
  | { status: "ready"; requestId: number; builtAt: Date; expiresAt: Date; content: AccessExport };

/** The export of `reference` if `email` owns that request; "none" when there is no such request, it is someone else's, or nothing was built. */
export function findOwnedExport(db: Db, input: { reference: string; email: string; now: Date }): OwnedExport {
  const row = db
    .select({ requestId: requests.id, builtAt: accessExports.builtAt, expiresAt: accessExports.expiresAt, content: accessExports.content })
    .from(requests)
    .innerJoin(accessExports, eq(accessExports.requestId, requests.id))
    .where(and(eq(requests.reference, input.reference), eq(requests.subjectEmail, input.email)))
    .get();
  if (!row) return { status: "none" };
  if (row.expiresAt.getTime() <= input.now.getTime()) return { status: "expired", requestId: row.requestId, expiredAt: row.expiresAt };
  return { status: "ready", requestId: row.requestId, builtAt: row.builtAt, expiresAt: row.expiresAt, content: row.content as AccessExport };
}

const FORMAT_WORDS: Record<ExportFormat, string> = DOWNLOAD_NOTES;

export function recordDownload(db: Db, input: { requestId: number; format: ExportFormat; now: Date }): void {
  inTransaction(
    db,
    (tx) => {
      recordEvent(tx, {
        requestId: input.requestId,
        at: input.now,
        actorType: "supporter",
        // The request names its owner; the chained log does not (see actorEmail in lib/requests/lifecycle/request-change.ts).
        actorEmail: null,
        action: "downloaded",
        fromStatus: null,
        toStatus: null,
        note: FORMAT_WORDS[input.format],
      });
    },
  );
}

export type ExportAvailability = { status: "none" } | { status: "expired"; expiredAt: Date } | { status: "ready"; builtAt: Date; expiresAt: Date };

const availabilityQuery = (db: Db) =>
  db
    .select({ builtAt: accessExports.builtAt, expiresAt: accessExports.expiresAt })
    .from(requests)
    .innerJoin(accessExports, eq(accessExports.requestId, requests.id))
    .where(and(eq(requests.reference, sql.placeholder("reference")), eq(requests.subjectEmail, sql.placeholder("email"))))
    .prepare();

/** What the request page says about the export, without reading the export itself. */
export function exportAvailability(db: Db, input: { reference: string; email: string; now: Date }): ExportAvailability {
  const row = preparedOnce(db, "exportAvailability", availabilityQuery).get({ reference: input.reference, email: input.email });
  if (!row) return { status: "none" };
  if (row.expiresAt.getTime() <= input.now.getTime()) return { status: "expired", expiredAt: row.expiresAt };
  return { status: "ready", builtAt: row.builtAt, expiresAt: row.expiresAt };
}
