import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PortalContext } from "@/lib/settings/portal-context";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { renderOutboxMail } from "@/lib/testing/outbox";
import type { FieldErrors } from "@/lib/forms/fields";
import { parseRecordedRequest, recordRequest, type RecordedRequestInput } from "./record-request";
import { filed } from "@/lib/testing/filed";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import { requestEventsOf, requestMailsOf, requestRow } from "@/lib/testing/request-reads";
import { calendarDateIn } from "@/lib/calendar/dates";

const TODAY = "2026-11-22";
const IDENTITY = "Signed letter; address matches our supporter record.";
const GOOD: Record<string, string> = {
  type: "access",
  email: "ann@example.org",
  channel: "post",
  identityCheck: IDENTITY,
  receivedOn: "2026-11-20",
};
const CHANNEL = "Choose how the request arrived: post, phone or email.";
const REAL_DATE = "Give the date it arrived as a real date, like 2026-11-20.";
const TOO_OLD = "The date it arrived must be within the last 90 days (on or after 2026-08-24).";

describe("parseRecordedRequest", () => {
  it.each<[string, Record<string, string | undefined>, FieldErrors]>([
    ["no channel", { channel: undefined }, { channel: CHANNEL }],
    ["the web channel (only the form files web requests)", { channel: "web" }, { channel: CHANNEL }],
    ["an unknown channel", { channel: "fax" }, { channel: CHANNEL }],
    ["a channel in capitals", { channel: "POST" }, { channel: CHANNEL }],
    ["no identity check", { identityCheck: undefined }, { identityCheck: "Say how you checked the requester's identity." }],
    ["a blank identity check", { identityCheck: "  \n " }, { identityCheck: "Say how you checked the requester's identity." }],
    ["an identity check over 1,000 characters", { identityCheck: "x".repeat(1001) }, { identityCheck: "How identity was checked must be 1,000 characters or fewer." }],
    ["a date tomorrow", { receivedOn: "2026-11-23" }, { receivedOn: "The date it arrived cannot be in the future." }],
    ["a date 91 days ago", { receivedOn: "2026-08-23" }, { receivedOn: TOO_OLD }],
    ["a date a year ago", { receivedOn: "2025-11-22" }, { receivedOn: TOO_OLD }],
    ["30 February", { receivedOn: "2026-02-30" }, { receivedOn: REAL_DATE }],
    ["a date written the British way", { receivedOn: "20/11/2026" }, { receivedOn: REAL_DATE }],
    ["month 13", { receivedOn: "2026-13-01" }, { receivedOn: REAL_DATE }],
    ["no email", { email: undefined }, { email: "Enter the requester's email address." }],
    ["a bad email", { email: "ann at example" }, { email: "The requester's email address must be a valid address, like name@example.org." }],
    ["no request type", { type: undefined }, { type: "Choose what the requester is asking for." }],
    ["a concern without its text", { type: "concern" }, { message: "Enter their concern, in their words." }],
    // Said to staff about the requester, never in the supporter's own words ("your", "us").
    ["an erasure not confirmed", { type: "erasure" }, { confirmErasure: "Tick the box to confirm the requester wants their data deleted." }],
    ["a correction with nothing to correct", { type: "correction" }, { changes: "Enter at least one detail they want corrected, with what it should say." }],
    ["a name over 200 characters", { name: "x".repeat(201) }, { name: "The requester's name must be 200 characters or fewer." }],
    [
      "everything wrong at once",
      { channel: "web", identityCheck: "", receivedOn: "2026-02-30", email: "" },
      { channel: CHANNEL, identityCheck: "Say how you checked the requester's identity.", receivedOn: REAL_DATE, email: "Enter the requester's email address." },
    ],
  ])("refuses %s", (_what, changes, fieldErrors) => {
    const input = Object.fromEntries(
      Object.entries({ ...GOOD, ...changes }).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    expect(parseRecordedRequest(input, TODAY)).toEqual({ ok: false, fieldErrors });
  });

  it.each<[string, Record<string, string | undefined>, Partial<RecordedRequestInput>]>([
    ["a letter from two days ago", {}, { channel: "post", receivedOn: "2026-11-20" }],
    ["a phone call today", { channel: "phone", receivedOn: TODAY }, { channel: "phone", receivedOn: TODAY }],
    ["an email exactly 90 days ago", { channel: "email", receivedOn: "2026-08-24" }, { channel: "email", receivedOn: "2026-08-24" }],
    ["no date: today", { receivedOn: undefined }, { receivedOn: TODAY }],
    ["a blank date: today", { receivedOn: "   " }, { receivedOn: TODAY }],
    ["a date with spaces around it", { receivedOn: " 2026-11-01 " }, { receivedOn: "2026-11-01" }],
  ])("accepts %s", (_what, changes, expected) => {
    const input = Object.fromEntries(
      Object.entries({ ...GOOD, ...changes }).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    expect(parseRecordedRequest(input, TODAY)).toEqual({
      ok: true,
      value: {
        submission: { type: "access", email: "ann@example.org", details: { type: "access" }, language: "en" },
        channel: "post",
        identityCheck: IDENTITY,
        receivedOn: "2026-11-20",
        ...expected,
      },
    });
  });

  it("keeps the request form's own checks: a typed address is normalised, a concern keeps its text", () => {
    const result = parseRecordedRequest({ ...GOOD, type: "concern", email: " Ann@Example.ORG ", message: "Why the letters?" }, TODAY);
    expect(result).toEqual({
      ok: true,
      value: {
        submission: { type: "concern", email: "ann@example.org", details: { type: "concern", message: "Why the letters?" }, language: "en" },
        channel: "post",
        identityCheck: IDENTITY,
        receivedOn: "2026-11-20",
      },
    });
  });

  it.each([
    ["the language chosen, when it is offered", { language: "fr" }, ["en", "fr"], { ok: true, language: "fr" }],
    ["the default (the first offered) when none is chosen", {}, ["de", "en"], { ok: true, language: "de" }],
    ["a language that is not offered is refused", { language: "fr" }, ["en", "de"], { ok: false }],
    ["a made-up language is refused", { language: "klingon" }, ["en"], { ok: false }],
  ] as const)("writes to the requester in %s", (_what, changes, offered, expected) => {
    const result = parseRecordedRequest({ ...GOOD, ...changes }, TODAY, offered);
    if (expected.ok) expect(result).toMatchObject({ ok: true, value: { submission: { language: expected.language } } });
    else expect(result).toEqual({ ok: false, fieldErrors: { language: "Choose one of the languages listed to write to the requester in." } });
  });
});

describe("recordRequest", () => {
  let t: TempDatabase;
  beforeAll(() => {
    t = openTempDatabase();
  });
  afterAll(() => t.close());

  const now = new Date("2026-11-22T10:00:00Z");
  const STAFF_EMAIL = "rita@example.org";

  function record(input: Partial<RecordedRequestInput>, ctx: PortalContext = TEST_CONTEXT) {
    return filed(recordRequest(t.db, {
      submission: { type: "access", email: "ann@example.org", details: { type: "access" } },
      channel: "post",
      identityCheck: IDENTITY,
      receivedOn: "2026-10-31",
      ...input,
      staffEmail: STAFF_EMAIL,
      now,
      ctx,
    }));
  }

  it("stores how it came, how identity was checked and when it arrived; the clock runs from that day", async () => {
    const { reference } = record({});
    const row = requestRow(t.db, reference);
    expect(row).toMatchObject({
      status: "received",
      channel: "post",
      identityCheck: IDENTITY,
      receivedOn: "2026-10-31",
      // 31 October + one month: 30 November, the month's last day.
      dueOn: "2026-11-30",
      subjectEmail: "ann@example.org",
      version: 1,
    });

    expect(requestEventsOf(t.db, reference)).toEqual([
      expect.objectContaining({
        action: "recorded",
        actorType: "staff",
        actorEmail: STAFF_EMAIL,
        fromStatus: null,
        toStatus: "received",
        at: now,
        note: `Arrived by post on 2026-10-31. Identity checked: ${IDENTITY}`,
      }),
    ]);

    const mails = requestMailsOf(t.db, reference);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ kind: "receipt", toAddress: "ann@example.org", status: "pending", subject: `We have received your request ${reference}` });
    const receipt = await renderOutboxMail(mails[0]!);
    expect(receipt.text).toContain("Received: 31 October 2026");
    expect(receipt.text).toContain("We will answer by: 30 November 2026");
  });

  it.each<[PortalContext["regime"], "phone" | "email", string, string]>([
    ["gdpr", "phone", "2026-11-22", "2026-12-22"],
    ["ccpa", "email", "2026-10-01", "2026-11-15"],
  ])("under %s, by %s on %s → due %s", (regime, channel, receivedOn, dueOn) => {
    const { reference } = record({ channel, receivedOn }, { ...TEST_CONTEXT, regime });
    expect(requestRow(t.db, reference)).toMatchObject({ channel, receivedOn, dueOn, regime });
  });

  it.each(["UTC", "Europe/London", "America/Los_Angeles", "Pacific/Auckland", "Pacific/Kiritimati"])(
    "in %s, a request recorded late is placed on the day it arrived there, which is the day its pages show",
    (timeZone) => {
      const { reference } = record({ receivedOn: "2026-10-31" }, { ...TEST_CONTEXT, timeZone });
      const row = requestRow(t.db, reference)!;
      expect(row.receivedOn).toBe("2026-10-31");
      expect(calendarDateIn(row.receivedAt, timeZone)).toBe("2026-10-31");
    },
  );

  it.each<["post" | "phone" | "email", "en" | "de", string]>([
    ["post", "en", "Thank you. We have recorded the request you made to us by post."],
    ["phone", "en", "Thank you. We have recorded the request you made to us by phone."],
    ["email", "de", "Vielen Dank. Wir haben die Anfrage erfasst, die Sie uns per E-Mail gestellt haben."],
  ])("the receipt of a request recorded from %s (%s) does not claim an address was confirmed by email", async (channel, language, thanks) => {
    const { reference } = record({ channel, submission: { type: "concern", email: `thanks-${channel}@example.org`, details: { type: "concern", message: "About my data." }, language } });
    const receipt = await renderOutboxMail(requestMailsOf(t.db, reference)[0]!);
    expect(receipt.props).toMatchObject({ arrival: channel });
    expect(receipt.text.replace(/\s+/g, " ")).toContain(thanks);
    expect(receipt.text).not.toMatch(/confirmed your email address|E-Mail-Adresse ist bestätigt/);
  });

  it.each<[string, "en" | "fr" | "de" | "es", string, string[], string[]]>([
    // Recorded on 22 November: a letter of 21 October was due on 21 November, yesterday.
    [
      "2026-10-21",
      "en",
      "late",
      ["Our answer was due by: 21 November 2026", "The law asked us to answer by 21 November 2026, and that date has already passed. We are sorry for the delay", "right to complain"],
      ["We will answer by", "at the latest", "we will tell you why before that date"],
    ],
    ["2026-10-21", "fr", "late", ["Notre réponse était due le : 21 novembre 2026", "cette date est déjà passée"], ["Réponse au plus tard le", "avant cette date"]],
    ["2026-10-21", "de", "late", ["Unsere Antwort war fällig am: 21. November 2026", "dieser Tag ist schon vorbei"], ["Wir antworten spätestens am"]],
    ["2026-10-21", "es", "late", ["Nuestra respuesta vencía el: 21 de noviembre de 2026", "esa fecha ya ha pasado"], ["Le responderemos como tarde el"]],
    // Due today: still on time, so the usual promise holds.
    ["2026-10-22", "en", "on time", ["We will answer by: 22 November 2026", "by 22 November 2026 at the latest"], ["Our answer was due", "already passed"]],
  ])("a letter of %s recorded on 22 November (%s): the receipt reads %s", async (receivedOn, language, _how, says, never) => {
    const { reference } = record({ receivedOn, submission: { type: "access", email: `late-${receivedOn}-${language}@example.org`, details: { type: "access" }, language } });
    const receipt = await renderOutboxMail(requestMailsOf(t.db, reference)[0]!);
    const text = receipt.text.replace(/\s+/g, " ");
    for (const words of says) expect(text).toContain(words);
    for (const words of never) expect(text).not.toContain(words);
  });

  it("the receipt of a request the supporter filed themselves still says their address was confirmed", async () => {
    const { reference } = filed(fileVerifiedRequest(t.db, { submission: { type: "access", email: "web@example.org", details: { type: "access" } }, now, ctx: TEST_CONTEXT }));
    const receipt = await renderOutboxMail(requestMailsOf(t.db, reference)[0]!);
    expect(receipt.props).toMatchObject({ arrival: "link" });
    expect(receipt.text).toContain("Thank you. We have received your request and confirmed your email address.");
  });
});
