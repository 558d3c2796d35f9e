/**
 * `npm run seed:demo`: fills a database with the demo supporters, a few
 * requests in different states made through the real workflow, and the
 * organisation's statement. Safe to run again; refuses a database holding
 * real supporters unless forced.
 */
import { count, gt, inArray, like, max, not } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { inTransaction } from "@/db/transaction";
import { mailOutbox, orgStatement, requests, supporters } from "@/db/schema";
import { DEFAULT_STATEMENT, saveStatement } from "@/lib/org/statement";
import type { PortalContext } from "@/lib/settings/portal-context";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import type { ChangeResult, RequestActor } from "@/lib/requests/lifecycle/request-change";
import { askSupporter } from "@/lib/requests/casework/ask-supporter";
import { denyRequest } from "@/lib/requests/casework/close-request";
import { approveRequest, startReview } from "@/lib/requests/casework/staff-step";
import { importRecords, type OutcomeCounts } from "@/lib/supporters/import/import-records";
import type { SupporterRecord } from "@/lib/supporters/import/parse-rows";
import { calendarDateIn, daysBetween } from "@/lib/calendar/dates";
import { dueDateFor } from "@/lib/calendar/deadlines";
import { DEMO_PREFIX, demoRecords } from "./demo-records";

const DAY_MS = 24 * 60 * 60 * 1000;

export type SeedResult =
  | { ok: false; message: string }
  | { ok: true; records: OutcomeCounts; requestsMade: number; statementSaved: boolean };

const DEMO_STAFF: RequestActor = { type: "staff", email: "demo-reviewer@example.org", role: "reviewer" };

export function seedDemo(db: Db, input: { ctx: PortalContext; now: Date; force?: boolean; onProgress?: (done: number, total: number) => void }): SeedResult {
  const real = db.select({ n: count() }).from(supporters).where(not(like(supporters.externalId, `${DEMO_PREFIX}%`))).get()?.n ?? 0;
  if (real > 0 && !input.force) {
    return {
      ok: false,
      message: `This database already holds ${real} supporter${real === 1 ? "" : "s"} that ${real === 1 ? "is" : "are"} not demo data; demo records would be mixed in with them. Use another DATABASE_PATH, or add --force to seed anyway.`,
    };
  }
  const records = demoRecords();
  const report = importRecords(db, records.map((record, i) => ({ line: i + 1, record })), {
    source: "demo data (npm run seed:demo)",
    secret: input.ctx.authSecret,
    now: input.now,
    onProgress: input.onProgress ? ({ done, total }) => input.onProgress?.(done, total) : undefined,
  });
  if (!report.ok) return { ok: false, message: `The demo data could not be written: ${report.problems[0]?.reason ?? "unknown problem"}.` };

  let statementSaved = false;
  if (!db.select({ id: orgStatement.id }).from(orgStatement).get()) {
    saveStatement(db, DEFAULT_STATEMENT, { email: "seed:demo", now: input.now });
    statementSaved = true;
  }

  const people = records.filter((r): r is SupporterRecord => r.kind === "supporter").slice(0, 6);
  const emails = people.map((p) => p.email);
  const existing = db.select({ n: count() }).from(requests).where(inArray(requests.subjectEmail, emails)).get()?.n ?? 0;
  const requestsMade = existing > 0 ? 0 : makeDemoRequests(db, people, input);
  return { ok: true, records: report.counts, requestsMade, statementSaved };
}

/**
 * A handful of requests, each taken as far as its state through the same
 * functions the pages use, received over the past weeks so the queue shows
 * one overdue, one due soon and the rest in between. They send no mail:
 * they are made in one transaction, and whatever their steps queued (the
 * receipts to made-up addresses, the staff's "new request" notices, the
 * answers) is taken out of the outbox before it commits, so no worker ever
 * sees it.
 */
function makeDemoRequests(db: Db, people: SupporterRecord[], input: { ctx: PortalContext; now: Date }): number {
  const { ctx, now } = input;
  const [a, b, c, d, e, f] = people;
  if (!a || !b || !c || !d || !e || !f) return 0;
  const today = calendarDateIn(now, ctx.timeZone);
  // The answering period, in days, under the installation's regime (a calendar month, or 45 days).
  const period = daysBetween(today, dueDateFor(today, ctx.regime));
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const file = (who: SupporterRecord, at: Date, submission: Parameters<typeof fileVerifiedRequest>[1]["submission"]["details"]): string => {
    const result = fileVerifiedRequest(db, { submission: { type: submission.type, email: who.email, name: who.name ?? undefined, details: submission }, now: at, ctx });
    if (!result.ok) throw new Error(`Demo request refused: ${result.message}`);
    return result.reference;
  };
  const must = (result: ChangeResult): number => {
    if (!result.ok) throw new Error(`Demo request step refused: ${result.message}`);
    return result.request.version;
  };
  const review = (reference: string, at: Date) => must(startReview(db, { reference, actor: DEMO_STAFF, expectedVersion: 1, now: at }));

  return inTransaction(
    db,
    () => {
      const lastMailBefore = db.select({ id: max(mailOutbox.id) }).from(mailOutbox).get()?.id ?? 0;
      // Received, waiting for staff, and overdue.
      file(a, daysAgo(period + 6), { type: "access" });
      // Received, waiting for staff, due in three days.
      file(b, daysAgo(period - 3), { type: "correction", changes: { postalAddress: "4 New Road\nBristol\nBS1 4AA" }, note: "I moved last spring." });
      // In review, with time to spare.
      const inReview = file(c, daysAgo(5), { type: "access" });
      review(inReview, daysAgo(4));
      // Waiting for the supporter's answer: the clock stopped.
      const asked = file(d, daysAgo(16), { type: "concern", message: "Why did I get a letter after I asked you to stop?" });
      must(askSupporter(db, { reference: asked, actor: DEMO_STAFF, expectedVersion: review(asked, daysAgo(14)), question: "Which address was the letter sent to?", now: daysAgo(14), ctx }));
      // Approved and carried out: the export is ready to download.
      const done = file(e, daysAgo(12), { type: "access" });
      must(approveRequest(db, { reference: done, actor: DEMO_STAFF, expectedVersion: review(done, daysAgo(10)), now: daysAgo(9), ctx }));
      // Refused, with the reason and the right to complain.
      const refused = file(f, daysAgo(26), { type: "erasure", confirmed: true });
      must(
        denyRequest(db, {
          reference: refused,
          actor: DEMO_STAFF,
          expectedVersion: review(refused, daysAgo(24)),
          note: "We must keep your gift records for six years for tax; everything else will be deleted when that period ends.",
          now: daysAgo(22),
          ctx,
        }),
      );
      db.delete(mailOutbox).where(gt(mailOutbox.id, lastMailBefore)).run();
      return 6;
    },
  );
}
