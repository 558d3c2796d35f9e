import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { supporterCorrections, supporters } from "@/db/schema";
import { decideCorrections } from "@/lib/requests/fulfilment/correction";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import type { RequestActor } from "@/lib/requests/lifecycle/request-change";
import { approveRequest, startReview } from "@/lib/requests/casework/staff-step";
import { filed } from "@/lib/testing/filed";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { requestRow } from "@/lib/testing/request-reads";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { describeReport, importCsv } from "./import-csv";

const ctx = TEST_CONTEXT;
const ADMIN: RequestActor & { type: "staff" } = { type: "staff", email: "lead@example.org", role: "admin" };
const imported = new Date("2026-11-20T09:00:00Z");
const corrected = new Date("2026-12-02T10:00:00Z");
const options = (now: Date) => ({ source: "crm.csv", secret: ctx.authSecret, now, timeZone: "Europe/London" });

const file = (name: string, phone = "") => `kind,external_id,email,name,phone\nsupporter,CRM-7,ada@example.org,${name},${phone}\n`;

describe("an import after an accepted correction", () => {
  let t: TempDatabase;
  let reference: string;
  const stored = () => t.db.select().from(supporters).where(eq(supporters.externalId, "CRM-7")).get()!;

  beforeEach(() => {
    t = openTempDatabase();
    expect(importCsv(t.db, file("Ada Byron"), options(imported))).toMatchObject({ ok: true, counts: { created: 1 } });
    // The supporter asks for a new name and adds a phone number; staff accept both.
    ({ reference } = filed(
      fileVerifiedRequest(t.db, {
        submission: { type: "correction", email: "ada@example.org", details: { type: "correction", changes: { name: "Ada Lovelace", phone: "+44 20 7946 0001" } } },
        now: corrected,
        ctx,
      }),
    ));
    startReview(t.db, { reference, actor: ADMIN, expectedVersion: 1, now: corrected });
    decideCorrections(t.db, { reference, actor: ADMIN, decisions: (["name", "phone"] as const).map((field) => ({ field, decision: "accepted" as const, note: null })), now: corrected });
    expect(approveRequest(t.db, { reference, actor: ADMIN, expectedVersion: requestRow(t.db, reference).version, now: corrected, ctx })).toMatchObject({ ok: true });
    expect(stored()).toMatchObject({ name: "Ada Lovelace", phone: "+44 20 7946 0001" });
  });
  afterEach(() => t.close());

  it("keeps the corrected values when the file is the same, reports each, and changes nothing", () => {
    const before = stored();
    const report = importCsv(t.db, file("Ada Byron"), options(new Date("2026-12-05T09:00:00Z")));
    expect(stored()).toEqual(before);
    expect(report).toMatchObject({ ok: true, counts: { created: 0, updated: 0, unchanged: 1, skipped: 0 } });
    if (!report.ok) return;
    expect(report.kept).toEqual([
      { line: 2, reason: `name kept as corrected on 2 December 2026 by request ${reference}` },
      { line: 2, reason: `phone kept as corrected on 2 December 2026 by request ${reference}` },
    ]);
    const lines = describeReport(report);
    expect(lines).toContain(`  line 2: name kept as corrected on 2 December 2026 by request ${reference}`);
    // ...and says how to change a corrected value on purpose.
    expect(lines.join("\n")).toContain("change it at the source");
  });

  it("takes a new value at the source as a deliberate change: it replaces the correction, which then no longer holds", () => {
    const report = importCsv(t.db, file("Augusta Ada King"), options(new Date("2026-12-05T09:00:00Z")));
    expect(report).toMatchObject({ ok: true, counts: { updated: 1 }, kept: [{ line: 2, reason: expect.stringMatching(/^phone kept/) }] });
    expect(stored()).toMatchObject({ name: "Augusta Ada King", phone: "+44 20 7946 0001" });
    // The file's earlier name no longer undoes anything: the source has moved on.
    expect(importCsv(t.db, file("Ada Byron"), options(new Date("2026-12-06T09:00:00Z")))).toMatchObject({ ok: true, counts: { updated: 1 } });
    expect(stored().name).toBe("Ada Byron");
  });

  it("lets the correction go once the source holds the corrected value too", () => {
    expect(importCsv(t.db, file("Ada Lovelace", "+44 20 7946 0001"), options(new Date("2026-12-05T09:00:00Z")))).toMatchObject({
      ok: true,
      counts: { unchanged: 1 },
      kept: [],
    });
    expect(t.db.select().from(supporterCorrections).all()).toEqual([]);
  });
});
