import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { consentChanges, mailOutbox, mailingLists, requestEvents, requests } from "@/db/schema";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { seedSupporter } from "@/lib/testing/supporter-records";
import { openTempDatabase, tablesOf, type TempDatabase } from "@/lib/testing/temp-database";
import type { Language } from "@/lib/language/languages";
import { FORM_PROBLEM, parseChoicesForm, preferenceView, saveChoices, UNKNOWN_LIST, type ChoicesForm } from "./preference-centre";

const now = new Date("2026-12-05T10:00:00Z");
const ADA = "ada@example.org";

function formOf(fields: Array<[string, string]>) {
  return (name: string) => fields.filter(([key]) => key === name).map(([, value]) => value);
}

describe("reading the preference page's form", () => {
  it.each<[string, Array<[string, string]>, ChoicesForm | null]>([
    ["two lists shown, one ticked", [["shown", "newsletter"], ["shown", "appeals"], ["list", "newsletter"]], { none: false, shown: ["newsletter", "appeals"], chosen: ["newsletter"] }],
    ["none of these", [["shown", "newsletter"], ["none", "1"]], { none: true, shown: ["newsletter"], chosen: [] }],
    ["nothing ticked", [["shown", "newsletter"]], { none: false, shown: ["newsletter"], chosen: [] }],
    ["the same list twice", [["shown", "newsletter"], ["shown", "newsletter"], ["list", "newsletter"], ["list", "newsletter"]], { none: false, shown: ["newsletter"], chosen: ["newsletter"] }],
    ["a list ticked that the page did not show", [["shown", "newsletter"], ["list", "appeals"]], null],
    ["none of these sent as something else", [["shown", "newsletter"], ["none", "yes"]], null],
    ["none of these sent twice", [["none", "1"], ["none", "1"]], null],
    ["a list name with a line break", [["shown", "news\nletter"]], null],
    ["a list name with a control character", [["shown", "news\u0007letter"]], null],
    ["an empty list name", [["shown", ""]], null],
    ["a list name longer than any list's", [["shown", "n".repeat(101)]], null],
    ["more lists than any page shows", Array.from({ length: 501 }, (_, i): [string, string] => ["shown", `list-${i}`]), null],
  ])("%s", (_what, fields, expected) => {
    const parsed = parseChoicesForm(formOf(fields));
    expect(parsed).toEqual(expected ? { ok: true, value: expected } : { ok: false, problem: FORM_PROBLEM });
  });
});

describe("the preference centre", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
    seedSupporter(t.db, { email: ADA, lists: ["newsletter", "appeals"] });
    seedSupporter(t.db, { email: "bob@example.org", lists: ["events"] });
    t.db.update(mailingLists).set({ title: "Monthly newsletter", description: "News from us, once a month." }).where(eq(mailingLists.name, "newsletter")).run();
  });
  afterEach(() => t.close());

  const view = (email = ADA) => preferenceView(t.db, { email, orgName: "Test Org", language: "en" });
  const onOff = (email = ADA) => Object.fromEntries(view(email).lists.map((l) => [l.name, l.on]));
  const save = (form: ChoicesForm, options: { via?: "link" | "session"; signal?: boolean; email?: string; language?: Language } = {}) =>
    saveChoices(t.db, {
      email: options.email ?? ADA,
      form,
      access: { via: options.via ?? "link" },
      privacySignal: options.signal ?? false,
      now,
      ctx: TEST_CONTEXT,
      language: options.language ?? "en",
    });
  const changes = (email = ADA) =>
    t.db
      .select({ topic: consentChanges.topic, list: consentChanges.list, state: consentChanges.state, route: consentChanges.route, wording: consentChanges.wording, requestId: consentChanges.requestId })
      .from(consentChanges)
      .where(eq(consentChanges.email, email))
      .orderBy(asc(consentChanges.id))
      .all();
  const ALL = ["appeals", "events", "newsletter"];

  it("shows every list the organisation has, with its words, and where this address stands on each", () => {
    const v = view();
    expect(v.question).toBe("Which emails would you like from Test Org?");
    expect(v.lists.map((l) => [l.name, l.title, l.description, l.on])).toEqual([
      ["appeals", "Appeals", null, true],
      ["events", "Events", null, false],
      ["newsletter", "Monthly newsletter", "News from us, once a month.", true],
    ]);
    expect(v.noneOn).toBe(false);
    expect(view("nobody@example.org")).toMatchObject({ noneOn: true, lists: [{ on: false }, { on: false }, { on: false }] });
  });

  it("turning one list off leaves the others on, at once, and puts it on the record with the words shown", () => {
    const outcome = save({ none: false, shown: ALL, chosen: ["newsletter"] });
    expect(outcome).toMatchObject({ ok: true, left: ["appeals"], joined: [], reference: expect.stringMatching(/^RD-/) });
    expect(onOff()).toEqual({ appeals: false, events: false, newsletter: true });
    expect(onOff("bob@example.org")).toEqual({ appeals: false, events: true, newsletter: false });
    const request = t.db.select().from(requests).where(eq(requests.subjectEmail, ADA)).get()!;
    expect(request).toMatchObject({ type: "unsubscribe", status: "completed", details: { type: "unsubscribe", lists: ["appeals"] }, identityCheck: "Preference link signed for this address" });
    expect(changes()).toEqual([
      {
        topic: "mailing_list",
        list: "appeals",
        state: "withdrawn",
        route: "page",
        wording: 'Preference page. "Which emails would you like from Test Org?" "Appeals" not ticked.',
        requestId: request.id,
      },
    ]);
    const events = t.db.select().from(requestEvents).where(eq(requestEvents.requestId, request.id)).orderBy(asc(requestEvents.id)).all();
    expect(events.map((e) => [e.action, e.actorType])).toEqual([
      ["filed", "system"],
      ["completed", "system"],
    ]);
    expect(events[1]!.note).toBe("Taken off Appeals on the preference page: 1 subscription ended. Other lists unchanged.");
  });

  it("in the reader's language: the page's words, the words recorded, the request and its emails", () => {
    const page = preferenceView(t.db, { email: ADA, orgName: "Test Org", language: "fr" });
    expect(page.question).toBe("Quels e-mails souhaitez-vous recevoir de Test Org ?");
    expect(page.noneLabel).toBe("Aucun : retirez-moi de toutes les listes, y compris de celles créées plus tard");
    save({ none: false, shown: ALL, chosen: ["newsletter", "events"] }, { language: "fr" });
    expect(changes().map((c) => c.wording)).toEqual([
      'Preference page. "Quels e-mails souhaitez-vous recevoir de Test Org ?" "Appeals" not ticked.',
      'Preference page. "Quels e-mails souhaitez-vous recevoir de Test Org ?" "Events" ticked.',
    ]);
    expect(t.db.select({ language: requests.language }).from(requests).where(eq(requests.subjectEmail, ADA)).get()).toEqual({ language: "fr" });
    const mail = t.db.select({ kind: mailOutbox.kind, subject: mailOutbox.subject }).from(mailOutbox).orderBy(asc(mailOutbox.id)).all();
    expect(mail).toEqual([
      { kind: "completed", subject: expect.stringMatching(/^Vous avez quitté une liste de diffusion \(RD-/) },
      { kind: "list-joined", subject: "Vous avez rejoint une liste de diffusion" },
    ]);
  });

  it("signed in, the request is the supporter's own", () => {
    save({ none: false, shown: ALL, chosen: [] }, { via: "session" });
    const request = t.db.select().from(requests).where(eq(requests.subjectEmail, ADA)).get()!;
    expect(request.identityCheck).toBeNull();
    expect(t.db.select().from(requestEvents).where(eq(requestEvents.requestId, request.id)).all()[0]).toMatchObject({ action: "filed", actorType: "supporter" });
  });

  it("ticking a list joins it, by the person's own choice, with an email about that list", () => {
    const outcome = save({ none: false, shown: ALL, chosen: ["newsletter", "appeals", "events"] });
    expect(outcome).toEqual({ ok: true, left: [], joined: ["events"], reference: null });
    expect(onOff()).toEqual({ appeals: true, events: true, newsletter: true });
    expect(changes()).toEqual([
      { topic: "mailing_list", list: "events", state: "granted", route: "page", wording: 'Preference page. "Which emails would you like from Test Org?" "Events" ticked.', requestId: null },
    ]);
    expect(t.db.select({ kind: mailOutbox.kind, list: mailOutbox.list, to: mailOutbox.toAddress }).from(mailOutbox).all()).toEqual([
      { kind: "list-joined", list: "events", to: ADA },
    ]);
  });

  it("none of these takes the address off every list, and pressing it again asks for nothing more", () => {
    expect(save({ none: true, shown: ALL, chosen: ["newsletter"] })).toMatchObject({ ok: true, left: ["appeals", "newsletter"] });
    expect(onOff()).toEqual({ appeals: false, events: false, newsletter: false });
    expect(view().noneOn).toBe(true);
    expect(changes().map((c) => `${c.topic}:${c.list}:${c.state}`)).toEqual(["mailing_list:appeals:withdrawn", "mailing_list:newsletter:withdrawn", "all_lists::withdrawn"]);
    expect(changes()[2]!.wording).toBe('Preference page. "Which emails would you like from Test Org?" "None of these: take me off every list, and keep me off lists added later" ticked.');
    const before = tablesOf(t.db);
    expect(save({ none: true, shown: ALL, chosen: [] })).toEqual({ ok: true, left: [], joined: [], reference: null });
    expect(tablesOf(t.db)).toEqual(before);
  });

  it("saving with nothing changed writes nothing", () => {
    const before = tablesOf(t.db);
    expect(save({ none: false, shown: ALL, chosen: ["newsletter", "appeals"] })).toEqual({ ok: true, left: [], joined: [], reference: null });
    expect(tablesOf(t.db)).toEqual(before);
  });

  it("a list the organisation does not have is refused with a sentence, and nothing is written", () => {
    const before = tablesOf(t.db);
    expect(save({ none: false, shown: [...ALL, "made-up"], chosen: ["made-up"] })).toEqual({ ok: false, problem: UNKNOWN_LIST });
    expect(tablesOf(t.db)).toEqual(before);
  });

  it("the browser's privacy signal records an objection to selling and sharing once, and changes no list", () => {
    save({ none: false, shown: ALL, chosen: ["newsletter", "appeals"] }, { signal: true });
    save({ none: false, shown: ALL, chosen: ["newsletter", "appeals"] }, { signal: true });
    expect(changes()).toEqual([
      {
        topic: "sale_sharing",
        list: "",
        state: "withdrawn",
        route: "gpc",
        wording: expect.stringContaining("an objection, made by automated means (GDPR Article 21(5))"),
        requestId: null,
      },
    ]);
    expect(view().saleAndSharing).toEqual({ since: now });
    expect(onOff()).toEqual({ appeals: true, events: false, newsletter: true });
  });
});
