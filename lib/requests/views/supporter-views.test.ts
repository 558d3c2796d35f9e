import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { requests } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { appendEvent } from "@/lib/audit/event-log";
import { addStaffMember } from "@/lib/staff/staff-members";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { fileRequest, fileVerifiedRequest } from "../intake/file-request";
import type { RequestActor } from "../lifecycle/request-change";
import { getStaffRequest } from "./staff-request-view";
import { getSupporterRequest, hasSupporterWords } from "./supporter-views";
import { EVENT_KINDS } from "../lifecycle/events";
import { addInternalNote } from "../casework/add-internal-note";
import { answerQuestion } from "../casework/answer-question";
import { askSupporter } from "../casework/ask-supporter";
import { assignRequest } from "../casework/assign-request";
import { recordRequest } from "../casework/record-request";
import { approveRequest, startReview } from "../casework/staff-step";
import { postConcernMessage } from "@/lib/requests/fulfilment/concern-thread";
import { filed } from "@/lib/testing/filed";

const OWNER = "ann@example.org";
const REVIEWER: RequestActor = { type: "staff", email: "rita@example.org", role: "reviewer" };
const ctx = TEST_CONTEXT;
const HOUR = 3_600_000;
const filedAt = new Date("2026-11-22T09:00:00Z");
const INTERNAL_NOTE = "Supporter is also a trustee: check with the chair.";

describe("getSupporterRequest", () => {
  let t: TempDatabase;
  let reference: string;
  let clock: number;
  /** A moment a little later than the last one. */
  function next(): Date {
    clock += HOUR;
    return new Date(clock);
  }
  beforeAll(() => {
    t = openTempDatabase();
    addStaffMember(t.db, { email: "lee@example.org", role: "reviewer", now: filedAt });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    clock = filedAt.getTime();
    reference = filed(fileVerifiedRequest(t.db, {
      submission: { type: "access", email: OWNER, details: { type: "access", note: "All of it." } },
      now: filedAt,
      ctx,
    })).reference;
  });

  function view(email = OWNER, now = next()) {
    return getSupporterRequest(t.db, { reference, email, timeZone: ctx.timeZone, now, orgName: ctx.orgName });
  }
  function version() {
    return view()!.version;
  }
  function ok<T extends { ok: boolean }>(result: T) {
    expect(result).toMatchObject({ ok: true });
  }
  function ask(question: string) {
    ok(askSupporter(t.db, { reference, actor: REVIEWER, expectedVersion: version(), question, now: next(), ctx }));
  }
  function answer(text: string) {
    ok(answerQuestion(t.db, { reference, supporterEmail: OWNER, answer: text, now: next(), ctx }));
  }

  it("never shows internal notes or assignments, though both are on record", () => {
    ok(startReview(t.db, { reference, actor: REVIEWER, expectedVersion: 1, now: next() }));
    ok(addInternalNote(t.db, { reference, actor: REVIEWER, note: INTERNAL_NOTE, now: next() }));
    ok(assignRequest(t.db, { reference, actor: REVIEWER, expectedVersion: version(), assigneeEmail: "lee@example.org", now: next() }));
    ask("Which address?");

    const seen = view()!;
    expect(seen.history.map((h) => [h.what, h.note])).toEqual([
      ["Request received and email address confirmed", null],
      ["Review started", null],
      ["Question sent to the supporter", "Which address?"],
    ]);
    const everything = JSON.stringify(seen);
    for (const secret of [INTERNAL_NOTE, "lee@example.org", "rita@example.org", "Internal note", "Assignment changed"]) {
      expect(everything).not.toContain(secret);
    }
    expect(seen.asked).toEqual([{ label: "Your note", value: "All of it." }]);
  });

  it.each([
    ["a kind added for staff without an entry in the table", "webhook_answer"],
    ["a kind from a newer version", "risk_scored"],
    ["a kind named like an object's own property", "constructor"],
  ])("never shows an event of a kind it does not know: %s", (_what, action) => {
    const secret = "Internal service answered: 500 at http://10.0.0.7/crm";
    const { id } = t.db.select({ id: requests.id }).from(requests).where(eq(requests.reference, reference)).get()!;
    inTransaction(t.db, (tx) =>
      appendEvent(tx, { requestId: id, at: next(), actorType: "system", actorEmail: null, action, fromStatus: null, toStatus: null, note: secret }),
    );
    const seen = view()!;
    expect(seen.history.map((h) => h.what)).toEqual(["Request received and email address confirmed"]);
    expect(JSON.stringify(seen)).not.toContain(secret);
    // Staff see it, marked as theirs only.
    const staffSees = getStaffRequest(t.db, { reference, timeZone: ctx.timeZone, now: next() })!;
    expect(staffSees.timeline.at(-1)).toMatchObject({ label: action, internal: true, note: secret });
  });

  it("shows the latest question while waiting, and none once answered", () => {
    expect(view()!.pendingQuestion).toBeNull();
    ok(startReview(t.db, { reference, actor: REVIEWER, expectedVersion: 1, now: next() }));
    expect(view()!.pendingQuestion).toBeNull();

    ask("First question");
    expect(view()!).toMatchObject({ status: "awaiting_supporter", pendingQuestion: "First question" });
    answer("First answer");
    expect(view()!).toMatchObject({ status: "in_review", pendingQuestion: null });

    ask("Second question");
    expect(view()!.pendingQuestion).toBe("Second question");
    // An internal note after the question does not hide it.
    ok(addInternalNote(t.db, { reference, actor: REVIEWER, note: INTERNAL_NOTE, now: next() }));
    expect(view()!.pendingQuestion).toBe("Second question");
    answer("Second answer");
    expect(view()!.pendingQuestion).toBeNull();

    expect(view()!.history.map((h) => h.note)).toEqual([null, null, "First question", "First answer", "Second question", "Second answer"]);
  });

  it("shows the deadline paused while waiting, with the days left frozen", () => {
    ok(startReview(t.db, { reference, actor: REVIEWER, expectedVersion: 1, now: new Date("2026-11-23T09:00:00Z") }));
    ok(askSupporter(t.db, { reference, actor: REVIEWER, expectedVersion: 2, question: "Q?", now: new Date("2026-11-25T09:00:00Z"), ctx }));
    for (const now of [new Date("2026-11-26T09:00:00Z"), new Date("2027-03-01T09:00:00Z")]) {
      expect(view(OWNER, now)!.deadline).toEqual({ dueOn: "2026-12-22", daysLeft: 27, state: "paused" });
    }
  });

  it("shows nothing of the request to another supporter", () => {
    expect(view("bob@example.org")).toBeNull();
  });

  it("shows a request staff recorded without staff's note on how identity was checked", () => {
    const identity = "Passport seen at the front desk, number ends 1234.";
    ({ reference } = filed(recordRequest(t.db, {
      submission: { type: "access", email: OWNER, details: { type: "access" } },
      channel: "post",
      identityCheck: identity,
      receivedOn: "2026-11-20",
      staffEmail: "rita@example.org",
      now: filedAt,
      ctx,
    })));
    const seen = view()!;
    expect(seen.history).toEqual([{ at: filedAt, what: "Request recorded by staff", note: null }]);
    expect(JSON.stringify(seen)).not.toContain("1234");
    expect(seen.dueOn).toBe("2026-12-20");
  });

  it("names who wrote each message of a concern: the supporter reads \"Your message\" and the organisation's staff, staff read who wrote to whom", () => {
    ({ reference } = filed(fileVerifiedRequest(t.db, { submission: { type: "concern", email: OWNER, details: { type: "concern", message: "Why?" } }, now: filedAt, ctx })));
    ok(postConcernMessage(t.db, { reference, actor: REVIEWER, message: "Which letter?", now: next(), ctx }));
    ok(postConcernMessage(t.db, { reference, actor: { type: "supporter", email: OWNER }, message: "The blue one.", now: next(), ctx }));
    expect(view()!.history.slice(1).map((h) => [h.what, h.note])).toEqual([
      ["Message from Test Org staff", "Which letter?"],
      ["Your message", "The blue one."],
    ]);
    const staffSee = getStaffRequest(t.db, { reference, timeZone: "UTC", now: next(), orgName: ctx.orgName })!;
    expect(staffSee.timeline.slice(1).map((e) => [e.label, e.actorEmail])).toEqual([
      ["Message to the supporter", "rita@example.org"],
      ["Message from the supporter", null],
    ]);
    // Staff read the supporter's words about the supporter, not in the supporter's voice.
    expect(staffSee.asked).toEqual([{ label: "The supporter's concern", value: "Why?" }]);
  });

  it("a completed access request's history speaks of this page, not of an email", () => {
    ok(startReview(t.db, { reference, actor: REVIEWER, expectedVersion: 1, now: next() }));
    ok(approveRequest(t.db, { reference, actor: REVIEWER, expectedVersion: 2, now: next(), ctx }));
    const completed = view()!.history.find((h) => h.what === "Request completed")!;
    expect(completed.note).toMatch(/^Your data is ready\. Download it from this page/);
    expect(completed.note).not.toMatch(/email|attached/i);
  });

  it.each([
    [{ type: "access", note: "All of it." }, [["The supporter's note", "All of it."]]],
    [{ type: "erasure", confirmed: true }, [["Confirmed", "The supporter confirmed they want their data deleted."]]],
    [{ type: "correction", changes: { name: "Ann New" }, note: "Typo" }, [["Proposed name", "Ann New"], ["The supporter's note", "Typo"]]],
  ] as const)("staff read what was asked about the supporter: %j", (details, lines) => {
    ({ reference } = filed(fileVerifiedRequest(t.db, { submission: { type: details.type, email: OWNER, details: details as never }, now: filedAt, ctx })));
    expect(getStaffRequest(t.db, { reference, timeZone: "UTC", now: next() })!.asked.map((a) => [a.label, a.value])).toEqual(lines);
    expect(JSON.stringify(view()!.asked)).not.toContain("The supporter");
  });
});

describe("the supporter's view, in their language", () => {
  let t: TempDatabase;
  beforeAll(() => {
    t = openTempDatabase();
  });
  afterAll(() => t.close());

  it("has words in the catalogues for every kind of event the supporter sees", () => {
    const seen = (Object.keys(EVENT_KINDS) as Array<keyof typeof EVENT_KINDS>).filter((kind) => EVENT_KINDS[kind].supporterSees);
    expect(seen.filter((kind) => !hasSupporterWords(kind))).toEqual([]);
  });

  it("reads a request in the reader's language, whatever it was made in: its type, status, what was asked and its history", () => {
    const email = "marie@example.org";
    const { reference } = filed(
      fileVerifiedRequest(t.db, {
        submission: { type: "concern", email, details: { type: "concern", message: "Pourquoi ces lettres ?" }, language: "fr" },
        now: filedAt,
        ctx,
      }),
    );
    postConcernMessage(t.db, { reference, actor: REVIEWER, message: "Nous regardons.", now: new Date(filedAt.getTime() + HOUR), ctx });
    const read = (language: "fr" | "es" | "en") => getSupporterRequest(t.db, { reference, email, timeZone: "UTC", now: filedAt, orgName: "Fondation", language });
    expect(read("fr")).toMatchObject({
      typeLabel: "Signaler un problème",
      statusLabel: "reçue",
      asked: [{ label: "Votre problème", value: "Pourquoi ces lettres ?" }],
      history: [
        { what: "Demande reçue et adresse e-mail confirmée", note: null },
        { what: "Message de l’équipe de Fondation", note: "Nous regardons." },
      ],
    });
    expect(read("es")).toMatchObject({ typeLabel: "Plantear una inquietud", statusLabel: "recibida", history: [{ what: "Solicitud recibida y dirección de correo confirmada" }, {}] });
    expect(read("en")).toMatchObject({ typeLabel: "Raise a concern", statusLabel: "received" });
  });

  it("says in the reader's language what the system recorded, never its English note", () => {
    const email = "hans@example.org";
    const { reference } = filed(
      fileVerifiedRequest(t.db, { submission: { type: "unsubscribe", email, details: { type: "unsubscribe" }, language: "de" }, now: filedAt, ctx }),
    );
    const view = getSupporterRequest(t.db, { reference, email, timeZone: "UTC", now: filedAt, orgName: "Stiftung", language: "de" });
    expect(view?.history.at(-1)).toMatchObject({ what: "Anfrage erledigt", note: "Sofort aus allen Verteilern genommen." });
    expect(JSON.stringify(view?.history)).not.toMatch(/Taken off/);
  });
  it.each([
    ["an unsubscribe naming lists, from the preference page", "preferences" as const, ["appeals"], "Von Ihrer Seite mit den E-Mail-Einstellungen geschickt", "Sofort aus den Verteilern genommen, die Sie verlassen wollten. Ihre anderen Verteiler bleiben unverändert."],
    ["an unsubscribe of every list, from a one-click link", "unsubscribe" as const, undefined, "Mit dem Ein-Klick-Abmeldelink aus einer unserer E-Mails geschickt.", "Sofort aus allen Verteilern genommen."],
  ])("says how %s reached us and what it left, in the reader's language", (_what, signedLink, lists, filedNote, doneNote) => {
    const email = `${signedLink}@example.org`;
    const { reference } = filed(
      inTransaction(t.db, (tx) =>
        fileRequest(tx, { submission: { type: "unsubscribe", email, details: { type: "unsubscribe", lists }, language: "de" }, now: filedAt, ctx, signedLink }),
      ),
    );
    const view = getSupporterRequest(t.db, { reference, email, timeZone: "UTC", now: filedAt, orgName: "Stiftung", language: "de" });
    expect(view?.history.map((h) => h.note)).toEqual([expect.stringContaining(filedNote), doneNote]);
  });
});
