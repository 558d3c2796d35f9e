import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consentChanges, mailOutbox, requestEvents, requests, subscriptions, supporters, usedUnsubscribeLinks } from "@/db/schema";
import type { Language } from "@/lib/language/languages";
import { signUnsubscribeToken } from "@/lib/mail/unsubscribe-link";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { seedSupporter } from "@/lib/testing/supporter-records";
import { countRows, openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { unsubscribeByLink } from "../intake/unsubscribe-by-link";
import { filed } from "@/lib/testing/filed";
import { renderOutboxMail } from "@/lib/testing/outbox";
import { requestEventsOf, requestMailsOf, requestRow } from "@/lib/testing/request-reads";

const now = new Date("2026-11-22T09:00:00Z");

describe("unsubscribe", () => {
  let t: TempDatabase;
  beforeAll(() => {
    t = openTempDatabase();
  });
  afterAll(() => t.close());

  function listsOf(email: string) {
    return t.db
      .select({ list: subscriptions.list, unsubscribedAt: subscriptions.unsubscribedAt })
      .from(subscriptions)
      .innerJoin(supporters, eq(supporters.id, subscriptions.supporterId))
      .where(eq(supporters.email, email))
      .all();
  }

  it("ends every subscription of every record with the address and completes itself as the system", async () => {
    seedSupporter(t.db, { email: "ann@example.org", lists: ["newsletter", "alerts"] });
    seedSupporter(t.db, { email: "ann@example.org", lists: ["appeals"] });
    seedSupporter(t.db, { email: "bob@example.org", lists: ["newsletter"] });
    const { reference } = filed(
      fileVerifiedRequest(t.db, {
        submission: { type: "unsubscribe", email: "ann@example.org", details: { type: "unsubscribe" } },
        now,
        ctx: TEST_CONTEXT,
      }),
    );
    expect(listsOf("ann@example.org")).toHaveLength(3);
    expect(listsOf("ann@example.org").every((s) => s.unsubscribedAt?.getTime() === now.getTime())).toBe(true);
    expect(listsOf("bob@example.org")[0]!.unsubscribedAt).toBeNull();
    expect(requestRow(t.db, reference)).toMatchObject({ status: "completed", closedAt: now });
    const events = requestEventsOf(t.db, reference);
    expect(events.map((e) => [e.action, e.actorType, e.fromStatus, e.toStatus])).toEqual([
      ["filed", "supporter", null, "received"],
      ["completed", "system", "received", "completed"],
    ]);
    // A real plural, never "subscription(s)".
    expect(events[1]!.note).toBe("Taken off every mailing list at once with the request form: 3 subscriptions ended.");
    const mails = requestMailsOf(t.db, reference);
    expect(mails.map((m) => m.kind)).toEqual(["completed"]);
    expect((await renderOutboxMail(mails[0]!)).text).toContain("3 in all");
  });

  const linkFor = (email: string, at = now) => signUnsubscribeToken(email, TEST_CONTEXT.authSecret, at);

  it("through the one-click link files a completed request with system events", () => {
    seedSupporter(t.db, { email: "cat@example.org", lists: ["alerts"] });
    const result = unsubscribeByLink(t.db, { token: linkFor("Cat@Example.org"), now, ctx: TEST_CONTEXT });
    if (!result.ok || !result.reference) throw new Error(`expected a request, got ${JSON.stringify(result)}`);
    expect(listsOf("cat@example.org")[0]!.unsubscribedAt).toEqual(now);
    expect(requestRow(t.db, result.reference)).toMatchObject({ status: "completed", subjectEmail: "cat@example.org" });
    const events = requestEventsOf(t.db, result.reference);
    expect(events.every((e) => e.actorType === "system")).toBe(true);
    expect(events.at(-1)!.note).toBe("Taken off every mailing list at once with the one-click unsubscribe in an email: 1 subscription ended.");
  });

  it("through the link of a message about one list ends that list only, on every record of the address, and puts it on the record", async () => {
    seedSupporter(t.db, { email: "gil@example.org", lists: ["newsletter", "appeals"] });
    seedSupporter(t.db, { email: "gil@example.org", lists: ["newsletter"] });
    const token = signUnsubscribeToken("gil@example.org", TEST_CONTEXT.authSecret, now, { list: "newsletter" });
    const result = unsubscribeByLink(t.db, { token, now, ctx: TEST_CONTEXT });
    if (!result.ok || !result.reference) throw new Error(`expected a request, got ${JSON.stringify(result)}`);
    expect(result.list).toBe("newsletter");
    expect(listsOf("gil@example.org").map((s) => `${s.list}:${s.unsubscribedAt?.toISOString() ?? "running"}`).sort()).toEqual([
      "appeals:running",
      `newsletter:${now.toISOString()}`,
      `newsletter:${now.toISOString()}`,
    ]);
    expect(requestRow(t.db, result.reference)).toMatchObject({ status: "completed", details: { type: "unsubscribe", lists: ["newsletter"] } });
    expect(requestEventsOf(t.db, result.reference).at(-1)!.note).toBe(
      "Taken off Newsletter with the one-click unsubscribe in an email: 2 subscriptions ended. Other lists unchanged.",
    );
    const changes = t.db.select().from(consentChanges).where(eq(consentChanges.email, "gil@example.org")).all();
    expect(changes).toEqual([
      expect.objectContaining({
        topic: "mailing_list",
        list: "newsletter",
        state: "withdrawn",
        route: "one_click",
        wording: 'One-click unsubscribe (List-Unsubscribe=One-Click) from an email about the list "Newsletter".',
        requestId: requestRow(t.db, result.reference)!.id,
      }),
    ]);
    const mail = requestMailsOf(t.db, result.reference)[0]!;
    expect(mail.subject).toBe(`You have left a mailing list (${result.reference})`);
    expect((await renderOutboxMail(mail)).text).toContain("We have taken this address off the list “Newsletter”.");
  });

  it.each([
    ["a mail program's POST", "one_click", false],
    ["the button on the page the link opens", "page", true],
  ])("records %s as route %s", (_what, route, byButton) => {
    const email = `route-${route}@example.org`;
    seedSupporter(t.db, { email, lists: ["alerts"] });
    unsubscribeByLink(t.db, { token: linkFor(email), now, ctx: TEST_CONTEXT, byButton });
    expect(t.db.select({ route: consentChanges.route, topic: consentChanges.topic }).from(consentChanges).where(eq(consentChanges.email, email)).all()).toEqual([
      { route, topic: "mailing_list" },
      { route, topic: "all_lists" },
    ]);
  });

  describe("answers a mail program's post (which sends no language) in the language of the email the link came in", () => {
    const ctx = { ...TEST_CONTEXT, defaultLanguage: "de" as const };
    it.each<[string, { link: Language | null; earlier?: Language; offered?: Language[]; page?: Language }, Language, string]>([
      ["a link carrying the email's language", { link: "es" }, "es", "Ya no está en nuestras listas de correo"],
      ["it wins over an earlier request in another language", { link: "es", earlier: "fr" }, "es", "Ya no está en nuestras listas de correo"],
      ["an older link without one: the address's latest request's language", { link: null, earlier: "fr" }, "fr", "Vous ne figurez plus sur nos listes de diffusion"],
      ["an older link, and no request before: the default language", { link: null }, "de", "Sie stehen nicht mehr in unseren Verteilern"],
      ["a language no longer offered: the next choice", { link: "es", earlier: "fr", offered: ["de", "fr"] }, "fr", "Vous ne figurez plus sur nos listes de diffusion"],
      ["nothing offered fits: the default", { link: "es", earlier: "es", offered: ["de", "en"] }, "de", "Sie stehen nicht mehr in unseren Verteilern"],
      ["the button on the page: the page's own language, whose words are recorded", { link: "es", page: "en" }, "en", "You are off our mailing lists"],
    ])("%s", async (name, given, language, subject) => {
      const email = `lang-${name.replace(/[^a-z]+/g, "-").slice(0, 40)}@example.org`;
      seedSupporter(t.db, { email, lists: ["alerts"] });
      const context = given.offered ? { ...ctx, languages: given.offered } : ctx;
      if (given.earlier) {
        filed(fileVerifiedRequest(t.db, { submission: { type: "concern", email, details: { type: "concern", message: "Why do you write to me?" }, language: given.earlier }, now: new Date(now.getTime() - 86_400_000), ctx: context }));
      }
      const token = signUnsubscribeToken(email, ctx.authSecret, now, { language: given.link });
      const result = unsubscribeByLink(t.db, { token, now, ctx: context, ...(given.page ? { language: given.page, byButton: true } : {}) });
      if (!result.ok || !result.reference) throw new Error(`expected a request, got ${JSON.stringify(result)}`);
      expect(requestRow(t.db, result.reference)).toMatchObject({ language });
      const mail = requestMailsOf(t.db, result.reference)[0]!;
      expect(mail.subject).toContain(subject);
      expect((await renderOutboxMail(mail)).html).toContain(`lang="${language}"`);
    });
  });

  it("through the one-click link unsubscribes once: the same link again files nothing, records nothing, sends nothing", () => {
    seedSupporter(t.db, { email: "dee@example.org", lists: ["alerts"] });
    const token = linkFor("dee@example.org");
    const counts = () => ({ requests: countRows(t.db, requests), events: countRows(t.db, requestEvents), mails: countRows(t.db, mailOutbox) });
    const first = unsubscribeByLink(t.db, { token, now, ctx: TEST_CONTEXT });
    expect(first).toMatchObject({ ok: true, reference: expect.stringMatching(/^RD-/) });
    const after = counts();
    for (let i = 1; i <= 15; i++) {
      expect(unsubscribeByLink(t.db, { token, now: new Date(now.getTime() + i * 60_000), ctx: TEST_CONTEXT })).toEqual({ ok: true, reference: null, list: null });
    }
    expect(counts()).toEqual(after);
    // Only a hash of the token is kept.
    expect(JSON.stringify(t.db.select().from(usedUnsubscribeLinks).all())).not.toContain(token);
    // Another link to the same address (from another email) is a new request.
    expect(unsubscribeByLink(t.db, { token: linkFor("dee@example.org", new Date(now.getTime() + 1000)), now, ctx: TEST_CONTEXT })).toMatchObject({
      ok: true,
      reference: expect.stringMatching(/^RD-/),
    });
  });

  it.each([
    ["a forged link", () => `${linkFor("eve@example.org").slice(0, -3)}xyz`, "invalid"],
    ["a link past its year", () => linkFor("eve@example.org", new Date(now.getTime() - 366 * 24 * 3_600_000)), "expired"],
  ])("refuses %s and stores nothing", (_what, token, reason) => {
    const before = countRows(t.db, usedUnsubscribeLinks);
    expect(unsubscribeByLink(t.db, { token: token(), now, ctx: TEST_CONTEXT })).toEqual({ ok: false, reason });
    expect(countRows(t.db, usedUnsubscribeLinks)).toBe(before);
  });
});
