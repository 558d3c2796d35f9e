import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { externalSystems, requestReceipts, requestTasks } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { tickManualTask } from "@/lib/requests/fulfilment/complete-task";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import type { RequestActor } from "@/lib/requests/lifecycle/request-change";
import { approveRequest, startReview } from "@/lib/requests/casework/staff-step";
import { loadOrCreateSigningKey, type SigningKey } from "@/lib/settings/signing-key";
import { filed } from "@/lib/testing/filed";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { requestEventsOf, requestRow } from "@/lib/testing/request-reads";
import { seedSupporter } from "@/lib/testing/supporter-records";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { issueReceipt, parseReceipt, RECEIPT_BEGIN, RECEIPT_END, signReceipt, verifyReceipt, type ReceiptFacts } from "./receipts";

const LEE: RequestActor = { type: "staff", email: "lee@example.org", role: "admin" };
const ANN = "ann@example.org";

const FACTS: ReceiptFacts = {
  organisation: "Harbour Trust",
  portal: "https://rights.harbour-trust.example.org",
  reference: "RD-7K3Q-9XWM",
  type: "erasure",
  received: "2026-03-02",
  due: "2026-04-02",
  closed: "2026-03-20",
  outcome: "completed",
  deleted: ["Supporter records (name, email, postal address, phone): 1, in Rightsdesk", "Memberships: 2, in Rightsdesk", "What CRM held about the requester, as it confirmed"],
  kept: ["Donations (amount, currency, date, method): 1, in Rightsdesk. Kept for 6 years from the donation for tax law, anonymised: no name, email, address or card digits."],
  systems: ["CRM: confirmed done on 2026-03-19"],
  position: 1234,
};

describe("signed receipts", () => {
  let t: TempDatabase;
  let key: SigningKey;
  let other: SigningKey;
  beforeAll(() => {
    t = openTempDatabase();
    key = loadOrCreateSigningKey(path.join(t.dir, "signing-key.pem"));
    other = loadOrCreateSigningKey(path.join(t.dir, "other.pem"));
  });
  afterAll(() => t.close());

  it("reads as labelled lines between two marker lines, and verifies against the key that signed it", () => {
    const text = signReceipt(key, FACTS);
    const lines = text.split("\n");
    expect(lines[0]).toBe(RECEIPT_BEGIN);
    expect(lines.at(-1)).toBe(RECEIPT_END);
    expect(lines.slice(1, 10)).toEqual([
      "Organisation: Harbour Trust",
      "Portal: https://rights.harbour-trust.example.org",
      "Reference: RD-7K3Q-9XWM",
      "Type: erasure",
      "Received: 2026-03-02",
      "Due: 2026-04-02",
      "Closed: 2026-03-20",
      "Outcome: completed",
      "Deleted: Supporter records (name, email, postal address, phone): 1, in Rightsdesk",
    ]);
    expect(lines).toContain("Chain position: 1234");
    expect(lines).toContain(`Key: ${key.publicKey.id}`);
    expect(lines.at(-2)).toMatch(/^Signature: [A-Za-z0-9_-]{86}$/);
    expect(verifyReceipt(text, key.publicKey)).toMatchObject({ ok: true, reference: "RD-7K3Q-9XWM", keyId: key.publicKey.id });
  });

  it("says so when there was nothing to delete", () => {
    expect(signReceipt(key, { ...FACTS, deleted: [] })).toContain("\nDeleted: nothing\n");
  });

  it("does not verify once any one character is changed, wherever it is", () => {
    const text = signReceipt(key, FACTS);
    let tried = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (/\s/.test(c)) continue;
      const changed = `${text.slice(0, i)}${c === "x" ? "y" : "x"}${text.slice(i + 1)}`;
      const check = verifyReceipt(changed, key.publicKey);
      expect(check.ok, `changing character ${i} (${JSON.stringify(c)}) still verified`).toBe(false);
      tried++;
    }
    expect(tried).toBeGreaterThan(600);
  });

  it("does not verify with lines swapped, removed or added", () => {
    const lines = signReceipt(key, FACTS).split("\n");
    const swapped = [...lines];
    [swapped[9], swapped[10]] = [swapped[10]!, swapped[9]!];
    expect(verifyReceipt(swapped.join("\n"), key.publicKey).ok).toBe(false);
    expect(verifyReceipt(lines.filter((l) => !l.startsWith("Kept:")).join("\n"), key.publicKey).ok).toBe(false);
    expect(verifyReceipt([...lines.slice(0, 5), "Deleted: nothing", ...lines.slice(5)].join("\n"), key.publicKey).ok).toBe(false);
  });

  it("still verifies as a mail program may show it: re-wrapped, quoted in a reply, with Windows line ends, the signature split", () => {
    const text = signReceipt(key, FACTS);
    const wrapped = text
      .split("\n")
      .flatMap((line) => {
        const out: string[] = [];
        let rest = line;
        while (rest.length > 40) {
          const cut = rest.lastIndexOf(" ", 40);
          if (cut <= 0) break;
          out.push(rest.slice(0, cut));
          rest = rest.slice(cut + 1);
        }
        if (line.startsWith("Signature: ")) {
          out.push(rest.slice(0, 30), rest.slice(30));
        } else {
          out.push(rest);
        }
        return out;
      })
      .map((line) => `> ${line}`)
      .join("\r\n");
    expect(wrapped.split("\r\n").length).toBeGreaterThan(text.split("\n").length + 5);
    expect(verifyReceipt(`Thanks, see below.\r\n\r\n${wrapped}\r\n\r\nAnn`, key.publicKey)).toMatchObject({ ok: true });
  });

  it.each([
    ["nothing like a receipt", "Hello, I would like to know what you did.", /^That is not a receipt/],
    ["a receipt cut short", () => signReceipt(key, FACTS).split("\n").slice(0, 8).join("\n"), /^The receipt has no signature line/],
    ["a receipt without its reference", () => signReceipt(key, FACTS).replace(/Reference: .*\n/, ""), /^The receipt has no "Reference" line/],
  ])("refuses %s with a sentence saying what to paste", (_, input, message) => {
    const text = typeof input === "function" ? input() : input;
    const check = verifyReceipt(text, key.publicKey);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toMatch(message);
  });

  it("names the key when the receipt was signed by another", () => {
    const check = verifyReceipt(signReceipt(other, FACTS), key.publicKey);
    expect(check).toMatchObject({ ok: false, message: expect.stringMatching(new RegExp(`^This receipt was signed with the key ${other.publicKey.id}, not with this organisation's key ${key.publicKey.id}`)) });
  });

  it("a forged receipt, re-signed with another key but claiming this one, does not verify", () => {
    const forged = signReceipt(other, { ...FACTS, outcome: "completed" }).replace(`Key: ${other.publicKey.id}`, `Key: ${key.publicKey.id}`);
    expect(verifyReceipt(forged, key.publicKey)).toMatchObject({ ok: false, message: expect.stringMatching(/does not match its signature/) });
  });

  it("is issued once for a closed erasure: what Rightsdesk deleted and kept by category, each outside system, and the closing event's position", () => {
    const ctx = { ...TEST_CONTEXT, authSecret: TEST_CONTEXT.authSecret };
    seedSupporter(t.db, { email: ANN, donations: 1 });
    t.db.insert(externalSystems).values({ name: "Paper files", kind: "manual", createdAt: new Date("2026-01-01T00:00:00Z") }).run();
    const now = new Date("2026-11-22T09:00:00Z");
    const later = new Date("2026-11-25T15:00:00Z");
    const reference = filed(fileVerifiedRequest(t.db, { submission: { type: "erasure", email: ANN, details: { type: "erasure", confirmed: true } }, now, ctx })).reference;
    expect(startReview(t.db, { reference, actor: LEE, expectedVersion: 1, now })).toMatchObject({ ok: true });
    expect(approveRequest(t.db, { reference, actor: LEE, expectedVersion: 2, now, ctx, confirmedErasure: true })).toMatchObject({ ok: true, request: { status: "approved" } });
    const task = t.db.select().from(requestTasks).get()!;
    expect(tickManualTask(t.db, { reference, taskId: task.id, note: "Shredded the 2019 folder.", actor: { ...LEE, type: "staff" } as never, now: later, ctx })).toMatchObject({
      ok: true,
      request: { status: "completed" },
    });

    // Issued as the request closed, in the closing transaction, with the installation's key.
    const receiptCtx = { key: ctx.signingKey, orgName: ctx.orgName, appUrl: ctx.appUrl, timeZone: "UTC", retentionMonths: 36 };
    const request = requestRow(t.db, reference);
    const text = t.db.select().from(requestReceipts).get()!.text;
    const closing = requestEventsOf(t.db, reference).find((e) => e.action === "completed")!;
    const lines = text.split("\n");
    expect(lines).toEqual(
      expect.arrayContaining([
        `Reference: ${reference}`,
        "Type: erasure",
        "Received: 2026-11-22",
        `Due: ${request.dueOn}`,
        "Closed: 2026-11-25",
        "Outcome: completed",
        "Deleted: Supporter records (name, email, postal address, phone): 1, in Rightsdesk",
        "Deleted: Memberships: 1, in Rightsdesk",
        "Deleted: Web-visit logs: 1, in Rightsdesk",
        "Deleted: What Paper files held about the requester, as it confirmed",
        "Kept: Donations (amount, currency, date, method): 1, in Rightsdesk. Kept for 6 years from the donation for tax law, anonymised: no name, email, address or card digits.",
        "Kept: The address as a keyed hash on the suppression list: 1, in Rightsdesk. So a later import or mailing cannot add this person back.",
        "Kept: This request's type, dates and outcome, in Rightsdesk, for the organisation's statistics; its other details until 2029-11-25",
        "System: Paper files: confirmed done on 2026-11-25",
        `Chain position: ${closing.id}`,
      ]),
    );
    expect(text).not.toContain(ANN);
    expect(verifyReceipt(text, ctx.signingKey.publicKey)).toMatchObject({ ok: true });
    expect(verifyReceipt(text, key.publicKey).ok).toBe(false);
    // Asked again, the same receipt: one per request, kept with it.
    expect(inTransaction(t.db, (tx) => issueReceipt(tx, { requestId: request.id, now: new Date(), ctx: receiptCtx }))).toBe(text);
    expect(t.db.select().from(requestReceipts).all()).toEqual([{ requestId: request.id, issuedAt: later, position: closing.id, keyId: ctx.signingKey.publicKey.id, text }]);
  });

  it("parses what it signs back into the same lines", () => {
    const parsed = parseReceipt(signReceipt(key, FACTS));
    expect(parsed.ok && parsed.receipt.lines.map(([label]) => label)).toEqual([
      "Organisation", "Portal", "Reference", "Type", "Received", "Due", "Closed", "Outcome", "Deleted", "Deleted", "Deleted", "Kept", "System", "Chain position", "Key",
    ]);
  });
});
