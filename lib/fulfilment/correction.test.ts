import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { correctionDecisions, mailOutbox, supporters } from "@/db/schema";
import { fileVerifiedRequest } from "@/lib/requests/file-request";
import type { RequestActor } from "@/lib/requests/request-change";
import { approveRequest, startReview } from "@/lib/requests/workflow/staff-step";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { seedSupporter } from "@/lib/testing/supporter-records";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { decideCorrectionField, reviewCorrection } from "./correction";
import { filed } from "@/lib/testing/filed";
import { renderOutboxMail } from "@/lib/testing/outbox";
import { requestRow } from "@/lib/testing/request-reads";

const ctx = TEST_CONTEXT;
const ADMIN: RequestActor & { type: "staff" } = { type: "staff", email: "lead@example.org", role: "admin" };
const now = new Date("2026-11-22T09:00:00Z");

describe("correction", () => {
  let t: TempDatabase;
  beforeAll(() => {
    t = openTempDatabase();
  });
  afterAll(() => t.close());

  it("shows current → proposed, needs every field decided, applies only the accepted ones and says which", async () => {
    seedSupporter(t.db, { email: "ann@example.org", name: "Ann Old" });
    const { reference } = filed(
      fileVerifiedRequest(t.db, {
        submission: {
          type: "correction",
          email: "ann@example.org",
          details: { type: "correction", changes: { name: "Ann New", postalAddress: "2 New Road", phone: "+44 1234 567890" } },
        },
        now,
        ctx,
      }),
    );
    startReview(t.db, { reference, actor: ADMIN, expectedVersion: 1, now });
    const request = () => requestRow(t.db, reference);
    expect(reviewCorrection(t.db, request()).map((r) => [r.field, r.current, r.proposed, r.decision])).toEqual([
      ["name", "Ann Old", "Ann New", null],
      ["postalAddress", "1 Old Street\nTown", "2 New Road", null],
      ["phone", "+44 20 7946 0000", "+44 1234 567890", null],
    ]);
    const decide = (field: "name" | "postalAddress" | "phone", decision: "accepted" | "rejected", note: string | null) =>
      decideCorrectionField(t.db, { reference, actor: ADMIN, field, decision, note, now });
    expect(decide("name", "accepted", null)).toMatchObject({ ok: true });
    expect(decide("phone", "rejected", null)).toMatchObject({ ok: false, message: expect.stringContaining("why") });
    expect(decide("phone", "rejected", "That number belongs to someone else.")).toMatchObject({ ok: true });
    expect(approveRequest(t.db, { reference, actor: ADMIN, expectedVersion: request().version, now, ctx })).toMatchObject({
      ok: false,
      message: expect.stringContaining("Postal address"),
    });
    expect(decide("postalAddress", "accepted", "Thanks")).toMatchObject({ ok: true });
    expect(approveRequest(t.db, { reference, actor: ADMIN, expectedVersion: request().version, now, ctx })).toMatchObject({ ok: true });

    expect(t.db.select().from(supporters).get()).toMatchObject({ name: "Ann New", postalAddress: "2 New Road", phone: "+44 20 7946 0000" });
    expect(request().status).toBe("completed");
    expect(t.db.select().from(correctionDecisions).all()).toHaveLength(3);
    const mail = await renderOutboxMail(t.db.select().from(mailOutbox).where(eq(mailOutbox.kind, "completed")).get()!);
    expect(mail.text).toMatch(/We corrected:\s+> Name\n> Postal address: Thanks/);
    expect(mail.text).toContain("Phone number: That number belongs to someone else.");
  });
});
