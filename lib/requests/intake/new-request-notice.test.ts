import { asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mailOutbox, requests, staff, teamNotices } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import type { PortalContext } from "@/lib/settings/portal-context";
import type { NewRequestNotice } from "@/lib/settings/settings";
import { renderOutboxMail } from "@/lib/testing/outbox";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { filed } from "@/lib/testing/filed";
import { requestEventsOf, requestRow } from "@/lib/testing/request-reads";
import { fileVerifiedRequest } from "./file-request";
import { addressTeamNotices, NEW_REQUEST_KIND, noticeSettingProblem, TEAM_NOTICES_PER_ROUND } from "./new-request-notice";
import { teamNoticesJob } from "@/lib/jobs/definitions/team-notices";
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

  const queued = () => t.db.select().from(mailOutbox).where(eq(mailOutbox.kind, NEW_REQUEST_KIND)).orderBy(asc(mailOutbox.id)).all();
  const waiting = () => t.db.select().from(teamNotices).all();
  const address = () => addressTeamNotices(t.db, { appUrl: TEST_CONTEXT.appUrl });
  /** The messages once the worker has addressed the team's waiting notices. */
  const notices = () => {
    address();
    return queued();
  };
  const addStaff = (email: string, role: "reviewer" | "admin" | "auditor" = "reviewer") => t.db.insert(staff).values({ email, role, addedAt: NOW }).run();
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

  // The fallback above is not silent: an administrator is told, in one sentence, why the setting is not followed.
  it.each<[string, NewRequestNotice | undefined, string | null]>([
    ["unset", undefined, null],
    ["team", "team", null],
    ["off", "off", null],
    ["a reviewer", { assignee: "lead@example.org" }, null],
    ["an admin", { assignee: "adam@example.org" }, null],
    [
      "someone not on the staff list",
      { assignee: "gone@example.org" },
      "NEW_REQUEST_NOTICE names gone@example.org, who is not on the staff list, so new requests are assigned to nobody and every reviewer and admin is told of each instead; add them as a reviewer or admin on the Team page, or change the setting.",
    ],
    [
      "an auditor",
      { assignee: AUDITOR },
      `NEW_REQUEST_NOTICE names ${AUDITOR}, who is an auditor and works no requests, so new requests are assigned to nobody and every reviewer and admin is told of each instead; add them as a reviewer or admin on the Team page, or change the setting.`,
    ],
  ])("the setting's problem for an administrator, %s", (_what, setting, problem) => {
    expect(noticeSettingProblem(t.db, setting)).toBe(problem);
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

  it("files with one waiting notice for the team, however large, and addresses it to each member on the worker's round", () => {
    for (let i = 0; i < 40; i++) addStaff(`caseworker${String(i).padStart(2, "0")}@example.org`);
    const reference = file(TEST_CONTEXT);
    expect(queued()).toEqual([]);
    expect(waiting()).toEqual([expect.objectContaining({ requestId: request(reference).id, kind: NEW_REQUEST_KIND, exceptEmail: null, createdAt: NOW })]);
    expect(address()).toEqual({ notices: 1, messages: 43 });
    expect(waiting()).toEqual([]);
    const sent = queued();
    expect(sent).toHaveLength(43);
    // Queued as at filing: due at once, and each to one member with the subject the filing drafted.
    for (const mail of sent) expect(mail).toMatchObject({ createdAt: NOW, nextAttemptAt: NOW, subject: `New request: ${reference} (Delete my data)` });
    expect(address()).toEqual({ notices: 0, messages: 0 });
  });

  it("tells the team as it is when the notice is addressed", () => {
    file(TEST_CONTEXT);
    addStaff("newcomer@example.org");
    t.db.update(staff).set({ role: "auditor" }).where(eq(staff.email, "rita@example.org")).run();
    expect(notices().map((m) => m.toAddress)).toEqual(["adam@example.org", "lead@example.org", "newcomer@example.org"]);
  });

  it("addresses a burst a round at a time, each round whole", () => {
    const bursts = TEAM_NOTICES_PER_ROUND * 2 + 7;
    for (let i = 0; i < bursts; i++) {
      filed(fileVerifiedRequest(t.db, { submission: { type: "concern", email: `p${i}@example.org`, details: { type: "concern", message: "Why?" } }, now: NOW, ctx: TEST_CONTEXT }));
    }
    expect([address(), address(), address(), address()]).toEqual([
      { notices: TEAM_NOTICES_PER_ROUND, messages: TEAM_NOTICES_PER_ROUND * TEAM.length },
      { notices: TEAM_NOTICES_PER_ROUND, messages: TEAM_NOTICES_PER_ROUND * TEAM.length },
      { notices: 7, messages: 7 * TEAM.length },
      { notices: 0, messages: 0 },
    ]);
    // In the order the requests were filed.
    const ids = queued().map((m) => m.requestId!);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it("is the worker's job, which asks for the next round at once when it addressed any", async () => {
    const job = teamNoticesJob({ appUrl: TEST_CONTEXT.appUrl });
    expect(await job.run(t.db, NOW)).toBe(false);
    file(TEST_CONTEXT);
    expect(await job.run(t.db, NOW)).toBe(true);
    expect(queued().map((m) => m.toAddress)).toEqual(TEAM);
  });

  it("commits with the request: a failed filing leaves no notice behind", () => {
    expect(() =>
      inTransaction(t.db, () => {
        file(TEST_CONTEXT);
        throw new Error("something later in the same transaction failed");
      }),
    ).toThrow("something later");
    expect(waiting()).toEqual([]);
    expect(notices()).toEqual([]);
    expect(t.db.select().from(requests).all()).toEqual([]);
  });
});
