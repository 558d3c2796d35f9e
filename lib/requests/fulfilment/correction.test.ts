import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { correctionDecisions, mailOutbox, supporters } from "@/db/schema";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import type { RequestActor } from "@/lib/requests/lifecycle/request-change";
import { approveRequest, startReview } from "@/lib/requests/casework/staff-step";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { seedSupporter } from "@/lib/testing/supporter-records";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { decideCorrections, reviewCorrection } from "./correction";
import { parseCorrectionDecisions } from "./forms";
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
      decideCorrections(t.db, { reference, actor: ADMIN, decisions: [{ field, decision, note }], now });
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
    // After completion the records hold the new name; the review still shows what was held before.
    expect(reviewCorrection(t.db, request()).map((r) => [r.field, r.current, r.heldWhenDecided])).toEqual([
      ["name", "Ann New", "Ann Old"],
      ["postalAddress", "2 New Road", "1 Old Street\nTown"],
      ["phone", "+44 20 7946 0000", "+44 20 7946 0000"],
    ]);
  });

  it("saves the decisions of the one form together, or none of them", () => {
    seedSupporter(t.db, { email: "cy@example.org", name: "Cy Old" });
    const { reference } = filed(
      fileVerifiedRequest(t.db, {
        submission: { type: "correction", email: "cy@example.org", details: { type: "correction", changes: { name: "Cy New", phone: "+44 1234 567890" } } },
        now,
        ctx,
      }),
    );
    startReview(t.db, { reference, actor: ADMIN, expectedVersion: 1, now });
    const decided = () => reviewCorrection(t.db, requestRow(t.db, reference)).map((r) => r.decision);
    // The phone's rejection has no reason: the name's acceptance is not saved either.
    expect(
      decideCorrections(t.db, { reference, actor: ADMIN, decisions: [{ field: "name", decision: "accepted", note: null }, { field: "phone", decision: "rejected", note: null }], now }),
    ).toMatchObject({ ok: false, message: "Say why you are rejecting the change to phone number: the supporter is told." });
    expect(decided()).toEqual([null, null]);
    expect(decideCorrections(t.db, { reference, actor: ADMIN, decisions: [], now })).toMatchObject({ ok: false });
    expect(
      decideCorrections(t.db, { reference, actor: ADMIN, expectedVersion: 2, decisions: [{ field: "name", decision: "accepted", note: null }, { field: "phone", decision: "rejected", note: "Not yours." }], now }),
    ).toMatchObject({ ok: true, request: { version: 3 } });
    expect(decided()).toEqual(["accepted", "rejected"]);
    // A form shown before that save is out of date.
    expect(decideCorrections(t.db, { reference, actor: ADMIN, expectedVersion: 2, decisions: [{ field: "name", decision: "rejected", note: "x" }], now })).toMatchObject({ ok: false, reason: "changed" });
  });
});

describe("the correction decisions form", () => {
  it.each<[string, Record<string, string>, unknown]>([
    [
      "a choice for each field, notes kept",
      { reference: "RD-7K3Q-9XWM", version: "4", decision_name: "accepted", note_name: "", decision_phone: "rejected", note_phone: "Not yours." },
      { ok: true, value: { reference: "RD-7K3Q-9XWM", expectedVersion: 4, decisions: [{ field: "name", decision: "accepted", note: null }, { field: "phone", decision: "rejected", note: "Not yours." }] } },
    ],
    [
      "fields left without a choice stay undecided",
      { reference: "RD-7K3Q-9XWM", version: "4", decision_postalAddress: "accepted" },
      { ok: true, value: { reference: "RD-7K3Q-9XWM", expectedVersion: 4, decisions: [{ field: "postalAddress", decision: "accepted", note: null }] } },
    ],
    ["nothing chosen", { reference: "RD-7K3Q-9XWM", version: "4" }, { ok: false, fieldErrors: { decisions: "Choose accept or reject for at least one proposed change." } }],
    [
      "a rejection without a reason",
      { reference: "RD-7K3Q-9XWM", version: "4", decision_email: "rejected" },
      { ok: false, fieldErrors: { note_email: "Say why you are rejecting the change to email address: the supporter is told." } },
    ],
    ["a made-up choice", { reference: "RD-7K3Q-9XWM", version: "4", decision_name: "maybe" }, { ok: false, fieldErrors: { decision_name: "Choose accept or reject." } }],
    ["no version", { reference: "RD-7K3Q-9XWM", decision_name: "accepted" }, { ok: false, fieldErrors: { version: "The form is missing the request's version; reload the page." } }],
  ])("%s", (_, input, expected) => {
    expect(parseCorrectionDecisions(input)).toEqual(expected);
  });
});
