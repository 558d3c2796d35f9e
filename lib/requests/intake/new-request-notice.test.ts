import { asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mailOutbox, requests, staff } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import type { PortalContext } from "@/lib/settings/portal-context";
import type { NewRequestNotice } from "@/lib/settings/settings";
import { renderOutboxMail } from "@/lib/testing/outbox";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { filed } from "@/lib/testing/filed";
import { requestEventsOf, requestRow } from "@/lib/testing/request-reads";
import { fileVerifiedRequest } from "./file-request";
import { NEW_REQUEST_KIND } from "./new-request-notice";
import { recordRequest } from "../casework/record-request";

const NOW = new Date("2026-11-22T09:00:00Z");
const TEAM = ["adam@example.org", "lead@example.org", "rita@example.org"];
const AUDITOR = "trustee@example.org";

describe("the new-request notice", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
    for (const email of TEAM) t.db.insert(staff).values({ email, role: email === "adam@example.org" ? "admin" : "reviewer", addedAt: NOW }).run();
    // An auditor is on the staff list but works no requests: never told of one, never given one on arrival.
    t.db.insert(staff).values({ email: AUDITOR, role: "auditor", addedAt: NOW }).run();
  });
  afterEach(() => t.close());

  const notices = () => t.db.select().from(mailOutbox).where(eq(mailOutbox.kind, NEW_REQUEST_KIND)).orderBy(asc(mailOutbox.id)).all();
  const request = (reference: string) => requestRow(t.db, reference);
  const ctxWith = (newRequestNotice: NewRequestNotice | undefined): PortalContext => ({ ...TEST_CONTEXT, ...(newRequestNotice ? { newRequestNotice } : {}) });
  const file = (ctx: PortalContext) =>
    filed(fileVerifiedRequest(t.db, { submission: { type: "erasure", email: "ann@example.org", details: { type: "erasure", confirmed: true } }, now: NOW, ctx })).reference;

  it.each<[string, NewRequestNotice | undefined, string[], string | null]>([
    ["unset: the whole team", undefined, TEAM, null],
    ["team: the whole team", "team", TEAM, null],
    ["off: nobody", "off", [], null],
    ["a staff member: assigned to them, and only they hear", { assignee: "lead@example.org" }, ["lead@example.org"], "lead@example.org"],
    ["someone no longer on the staff list: the team, and nobody is assigned", { assignee: "gone@example.org" }, TEAM, null],
    ["an auditor: the team, and nobody is assigned", { assignee: AUDITOR }, TEAM, null],
  ])("%s", async (_what, setting, recipients, assignee) => {
    const reference = file(ctxWith(setting));
    const sent = notices();
    expect(sent.map((m) => m.toAddress)).toEqual(recipients);
    expect(request(reference).assigneeEmail).toBe(assignee);
    for (const mail of sent) {
      expect(mail).toMatchObject({ requestId: request(reference).id, status: "pending", sensitive: false });
      expect(mail.subject).toBe(`${assignee ? "Assigned to you" : "New request"}: ${reference} (Delete my data)`);
      const { text, html } = await renderOutboxMail(mail);
      expect(text).toContain(`${TEST_CONTEXT.appUrl}/staff/requests/${reference}`);
      expect(html).toContain(`href="${TEST_CONTEXT.appUrl}/staff/requests/${reference}"`);
      // The requester is not named: personal data stays in the portal.
      for (const part of [text, html, mail.subject]) expect(part).not.toContain("ann@example.org");
    }
    const assigned = requestEventsOf(t.db, reference).filter((e) => e.action === "assigned");
    expect(assigned).toEqual(
      assignee ? [expect.objectContaining({ actorType: "system", actorEmail: null, note: `Assigned to ${assignee} on arrival` })] : [],
    );
  });

  it("does not tell the staff member who recorded the request", () => {
    recordRequest(t.db, {
      submission: { type: "access", email: "ann@example.org", details: { type: "access" } },
      channel: "phone",
      identityCheck: "Answered the security questions.",
      receivedOn: "2026-11-22",
      staffEmail: "rita@example.org",
      now: NOW,
      ctx: TEST_CONTEXT,
    });
    expect(notices().map((m) => m.toAddress)).toEqual(["adam@example.org", "lead@example.org"]);
  });

  it("commits with the request: a failed filing leaves no notice behind", () => {
    expect(() =>
      inTransaction(t.db, () => {
        file(TEST_CONTEXT);
        throw new Error("something later in the same transaction failed");
      }),
    ).toThrow("something later");
    expect(notices()).toEqual([]);
    expect(t.db.select().from(requests).all()).toEqual([]);
  });
});
