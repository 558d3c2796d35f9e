/**
 * `npm run seed:demo`: fills a database with the demo supporters, a few
 * requests in different states made through the real workflow, and the
 * organisation's statement. Safe to run again; refuses a database holding
 * real supporters unless forced.
 */
import { count, inArray, like, not } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { orgStatement, requests, supporters } from "@/db/schema";
import { DEFAULT_STATEMENT, saveStatement } from "@/lib/org/statement";
import type { PortalContext } from "@/lib/portal/context";
import { fileVerifiedRequest } from "@/lib/requests/file-request";
import type { ChangeResult, RequestActor } from "@/lib/requests/request-change";
import { askSupporter } from "@/lib/requests/workflow/ask-supporter";
import { denyRequest } from "@/lib/requests/workflow/close-request";
import { approveRequest, startReview } from "@/lib/requests/workflow/staff-step";
import { importRecords, type OutcomeCounts } from "../import/import-records";
import type { SupporterRecord } from "../import/parse-rows";
import { DEMO_PREFIX, demoRecords } from "./demo-records";

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

/** A handful of requests, each taken as far as its state through the same functions the pages use. */
function makeDemoRequests(db: Db, people: SupporterRecord[], input: { ctx: PortalContext; now: Date }): number {
  const { ctx, now } = input;
  const [a, b, c, d, e, f] = people;
  if (!a || !b || !c || !d || !e || !f) return 0;
  const file = (who: SupporterRecord, submission: Parameters<typeof fileVerifiedRequest>[1]["submission"]["details"]): string => {
    const result = fileVerifiedRequest(db, { submission: { type: submission.type, email: who.email, name: who.name ?? undefined, details: submission }, now, ctx });
    if (!result.ok) throw new Error(`Demo request refused: ${result.message}`);
    return result.reference;
  };
  const must = (result: ChangeResult): number => {
    if (!result.ok) throw new Error(`Demo request step refused: ${result.message}`);
    return result.request.version;
  };
  const review = (reference: string) => must(startReview(db, { reference, actor: DEMO_STAFF, expectedVersion: 1, now }));

  // Received, waiting for staff.
  file(a, { type: "access" });
  file(b, { type: "correction", changes: { postalAddress: "4 New Road\nBristol\nBS1 4AA" }, note: "I moved last spring." });
  // In review.
  review(file(c, { type: "access" }));
  // Waiting for the supporter's answer.
  const asked = file(d, { type: "concern", message: "Why did I get a letter after I asked you to stop?" });
  must(askSupporter(db, { reference: asked, actor: DEMO_STAFF, expectedVersion: review(asked), question: "Which address was the letter sent to?", now, ctx }));
  // Approved and carried out: the export is ready to download.
  const done = file(e, { type: "access" });
  must(approveRequest(db, { reference: done, actor: DEMO_STAFF, expectedVersion: review(done), now, ctx }));
  // Refused, with the reason and the right to complain.
  const refused = file(f, { type: "erasure", confirmed: true });
  must(
    denyRequest(db, {
      reference: refused,
      actor: DEMO_STAFF,
      expectedVersion: review(refused),
      note: "We must keep your gift records for six years for tax; everything else will be deleted when that period ends.",
      now,
      ctx,
    }),
  );
  return 6;
}
