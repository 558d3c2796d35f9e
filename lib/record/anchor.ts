/**
 * Anchoring the log: check the whole record, then sign the head that was
 * checked, append it to ANCHOR_FILE and email it to every admin. Runs daily
 * from the worker and on demand (`npm run audit:anchor`). A record that
 * fails its check is never signed: the admins get an alert instead.
 */
import { eq } from "drizzle-orm";
import type { Db, Tx } from "@/db/connection";
import { eventLogAnchors, staff } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { anchorLine, appendAnchor, readAnchorFile, signAnchor, type AnchorRecord } from "@/lib/audit/anchors";
import { describeInstant } from "@/lib/audit/verify-chain";
import { verifyRecordAsync } from "@/lib/audit/verify-record";
import { enqueueMails } from "@/lib/mail/outbox";
import { recordAlertMail } from "@/lib/mail/emails/record-alert";
import { recordAnchorMail } from "@/lib/mail/emails/record-anchor";
import type { SigningKey } from "@/lib/settings/signing-key";

export const ANCHOR_MAIL_KIND = "record-anchor";
export const RECORD_ALERT_KIND = "record-alert";

export type AnchorSettings = {
  key: SigningKey;
  anchorFile: string;
  orgName: string;
  appUrl: string;
};

export type AnchorOutcome =
  | { ok: true; anchor: AnchorRecord; line: string; admins: number }
  | { ok: false; problem: string; admins: number };

function adminsOf(tx: Tx): string[] {
  return tx.select({ email: staff.email }).from(staff).where(eq(staff.role, "admin")).all().map((s) => s.email);
}

/** Tells every admin that a job of the record stopped, and why. Returns how many were told. */
export function alertAdmins(db: Db, input: { job: string; problem: string; now: Date; orgName: string; appUrl: string }): number {
  return inTransaction(db, (tx) => {
    const admins = adminsOf(tx);
    const draft = recordAlertMail.draft({ orgName: input.orgName, job: input.job, problem: input.problem });
    enqueueMails(
      tx,
      admins.map((to) => ({ ...draft, to, kind: RECORD_ALERT_KIND })),
      { now: input.now, appUrl: input.appUrl },
    );
    return admins.length;
  });
}

/**
 * Checks the record against every anchor so far and, if it is intact,
 * signs the head it checked. The signature covers exactly what was checked:
 * events written during the check wait for the next anchor.
 */
export async function anchorRecord(db: Db, settings: AnchorSettings, input: { now: Date; reason: "daily" | "on demand" }): Promise<AnchorOutcome> {
  const alert = (problem: string): AnchorOutcome => ({
    ok: false,
    problem,
    admins: alertAdmins(db, { job: "The anchor of the request log", problem, now: input.now, orgName: settings.orgName, appUrl: settings.appUrl }),
  });
  const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));
  let read: ReturnType<typeof readAnchorFile>;
  try {
    read = readAnchorFile(settings.anchorFile);
  } catch (error) {
    return alert(`The anchor file ${settings.anchorFile} could not be read (${reason(error)}); nothing was signed.`);
  }
  const { sources, unreadable } = read;
  let report: Awaited<ReturnType<typeof verifyRecordAsync>>;
  try {
    report = await verifyRecordAsync(db, { anchors: sources, unreadableAnchors: unreadable, publicKey: settings.key.publicKey });
  } catch (error) {
    // SQLite could not read the log or the requests: the file itself is damaged.
    return alert(`The record could not be read to check it (${reason(error)}): the database file may be damaged; nothing was signed. Restore the last good backup.`);
  }
  const problem = report.problem ?? report.cannotCheck;
  if (problem || !report.chain) return alert(problem ?? "The record could not be checked.");
  const anchor = signAnchor(settings.key, { kind: "anchor", position: report.chain.events, hash: report.chain.headHash, signedAt: input.now });
  const line = anchorLine(anchor);
  let admins: number;
  try {
    admins = inTransaction(db, (tx) => {
      tx.insert(eventLogAnchors).values({ ...anchor, reason: input.reason }).run();
      const recipients = adminsOf(tx);
      const draft = recordAnchorMail.draft({
        orgName: settings.orgName,
        position: anchor.position,
        hash: anchor.hash,
        signedAt: describeInstant(anchor.signedAt),
        line,
        reason: input.reason,
      });
      enqueueMails(
        tx,
        recipients.map((to) => ({ ...draft, to, kind: ANCHOR_MAIL_KIND })),
        { now: input.now, appUrl: settings.appUrl },
      );
      // Last, so a failure to write the file undoes the row and the emails: no anchor is claimed that the file lacks.
      appendAnchor(settings.anchorFile, anchor);
      return recipients.length;
    });
  } catch (error) {
    // The anchor file's folder could not be made or written: nothing was signed into the record, and an admin must look.
    return alert(`The anchor could not be written to ${settings.anchorFile} (${reason(error)}); nothing was signed.`);
  }
  return { ok: true, anchor, line, admins };
}
