import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  consentChanges,
  consents,
  correspondence,
  donations,
  mailOutbox,
  memberships,
  petitionSignatures,
  requestEvents,
  requests,
  subscriptions,
  supporters,
  suppressions,
  users,
  webVisits,
} from "@/db/schema";
import { verifyEventChain } from "@/lib/audit/verify-chain";
import { verifyRequestStates } from "@/lib/audit/request-state";
import { inTransaction } from "@/db/transaction";
import { leaveLists } from "@/lib/consent/choices";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import type { RequestActor } from "@/lib/requests/lifecycle/request-change";
import { answerConcern, completeRequest } from "@/lib/requests/casework/close-request";
import { postConcernMessage } from "./concern-thread";
import { approveRequest, startReview } from "@/lib/requests/casework/staff-step";
import { isSuppressed, suppressionHash } from "@/lib/supporters/suppression";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { seedSupporter } from "@/lib/testing/supporter-records";
import { countRows, openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { planErasure, redactMailToErasedSubjects } from "./erasure";
import { filed } from "@/lib/testing/filed";
import { enqueueMail } from "@/lib/mail/outbox";
import { signInMail } from "@/lib/mail/emails/sign-in";
import { renderOutboxMail } from "@/lib/testing/outbox";
import { requestEventsOf, requestRow } from "@/lib/testing/request-reads";

const ctx = TEST_CONTEXT;
const ADMIN: RequestActor = { type: "staff", email: "lead@example.org", role: "admin" };
const now = new Date("2026-11-22T09:00:00Z");
const ANN = "ann@example.org";
const BOB = "bob@example.org";

describe("erasure", () => {
  let t: TempDatabase;
  beforeAll(() => {
    t = openTempDatabase();
  });
  afterAll(() => t.close());

  function fileErasure(email: string): string {
    return filed(fileVerifiedRequest(t.db, { submission: { type: "erasure", email, details: { type: "erasure", confirmed: true } }, now, ctx })).reference;
  }
  function approve(reference: string) {
    expect(startReview(t.db, { reference, actor: ADMIN, expectedVersion: 1, now })).toMatchObject({ ok: true });
    return approveRequest(t.db, { reference, actor: ADMIN, expectedVersion: 2, now, ctx, confirmedErasure: true });
  }

  it("deletes a row of every kind, keeps exactly the recent donations anonymised, suppresses the address and closes itself", async () => {
    const ann = seedSupporter(t.db, { email: ANN, donations: 2 });
    // One donation older than the six-year tax period: nothing requires keeping it.
    t.db.update(donations).set({ donatedOn: "2019-05-01" }).where(eq(donations.id, ann.donationIds[1]!)).run();
    const bob = seedSupporter(t.db, { email: BOB, donations: 1, lists: ["newsletter"] });
    t.db.insert(users).values({ email: ANN }).run();
    // An earlier concern of Ann's, answered and closed: what she and staff wrote in it is hers to have erased too.
    const concern = filed(
      fileVerifiedRequest(t.db, { submission: { type: "concern", email: ANN, details: { type: "concern", message: "Who signed me up?" } }, now, ctx }),
    ).reference;
    expect(startReview(t.db, { reference: concern, actor: ADMIN, expectedVersion: 1, now })).toMatchObject({ ok: true });
    expect(postConcernMessage(t.db, { reference: concern, actor: { type: "supporter", email: ANN }, message: "My neighbour Carol at 4 Harbour Row.", now, ctx })).toMatchObject({ ok: true });
    expect(answerConcern(t.db, { reference: concern, actor: ADMIN, expectedVersion: 3, note: "Carol used your address on a petition in 2024.", now, ctx })).toMatchObject({ ok: true });
    const reference = fileErasure(ANN);

    const plan = planErasure(t.db, { email: ANN, now, timeZone: "UTC" });
    expect(plan.retentionYears).toBe(6);
    expect(Object.fromEntries(plan.deleted.map((d) => [d.what, d.count]))).toMatchObject({
      "Supporter records (name, email, postal address, phone)": 1,
      Memberships: 1,
      "Mailing-list subscriptions": 2,
      "Petition signatures": 1,
      Correspondence: 1,
      "Web-visit logs": 1,
      "Donations older than 6 years": 1,
      "Sign-in account and sessions": 1,
    });
    expect(plan.kept[0]).toMatchObject({ count: 1 });

    expect(approve(reference)).toMatchObject({ ok: true, request: { status: "completed" } });

    // Only Bob's rows are left in every supporter table.
    for (const table of [supporters, memberships, subscriptions, petitionSignatures, correspondence, webVisits]) {
      expect(countRows(t.db, table)).toBe(1);
    }
    expect(t.db.select().from(supporters).get()!.id).toBe(bob.supporterId);
    // Exactly Ann's recent donation is left, anonymised, amount and date untouched; the old one is gone.
    const left = t.db.select().from(donations).all();
    expect(left).toHaveLength(2);
    const anonymised = left.find((d) => d.supporterId === null)!;
    expect(anonymised).toMatchObject({ id: ann.donationIds[0], amountMinor: 2500, currency: "GBP", donatedOn: "2025-12-01", method: "card", cardLast4: null, anonymisedAt: now });
    expect(left.find((d) => d.supporterId === bob.supporterId)).toMatchObject({ cardLast4: "4242", anonymisedAt: null });

    expect(isSuppressed(t.db, ANN, ctx.authSecret)).toBe(true);
    expect(isSuppressed(t.db, BOB, ctx.authSecret)).toBe(false);
    expect(countRows(t.db, suppressions)).toBe(1);
    expect(t.db.select().from(users).where(eq(users.email, ANN)).all()).toHaveLength(0);

    const request = requestRow(t.db, reference);
    expect(request).toMatchObject({
      status: "completed",
      subjectEmail: `erased:${suppressionHash(ANN, ctx.authSecret)}`,
      subjectName: null,
      details: { type: "erasure", confirmed: true },
    });
    const events = requestEventsOf(t.db, reference);
    expect(events.map((e) => [e.action, e.actorType])).toEqual([
      ["filed", "supporter"],
      ["review_started", "staff"],
      ["approved", "staff"],
      ["erased", "system"],
      ["completed", "system"],
      ["content_removed_erasure", "system"],
    ]);
    // The notes of both of Ann's closed requests are gone, on the record; the chain still verifies, and says why.
    const chain = verifyEventChain(t.db);
    expect(chain.problem).toBeNull();
    // And each reduced request is what its removal event recorded, under its new salt.
    expect(verifyRequestStates(t.db)).toMatchObject({ problem: null, identityUnrecorded: 0 });
    // Removed from exactly the events that held text; the others (review started, approved…) keep what they committed to.
    const held = t.db.$client
      .prepare("select e.action, e.note is null and e.content_salt is null as removed from request_events e join requests r on r.id = e.request_id where r.reference = ? and e.action not like 'content_removed_%' order by e.id")
      .all(concern) as Array<{ action: string; removed: number }>;
    expect(held).toEqual([
      { action: "filed", removed: 0 },
      { action: "review_started", removed: 0 },
      { action: "message", removed: 1 },
      { action: "answered", removed: 0 },
      { action: "completed", removed: 1 },
    ]);
    const removedEvents = t.db.$client.prepare("select count(*) from request_events where content_salt is null").pluck().get() as number;
    expect(chain.redacted.byReason).toEqual({ erasure: removedEvents, retention: 0 });
    expect(JSON.stringify(t.db.select().from(requestEvents).all())).not.toMatch(/Carol|Harbour Row/);

    // The completion email names what was kept and for how long, then is reduced once sent.
    const completion = await renderOutboxMail(t.db.select().from(mailOutbox).where(eq(mailOutbox.requestId, request.id)).all().find((m) => m.kind === "completed")!);
    expect(completion.text).toContain("Kept for 6 years");
    // A staff member's mail about the request names only its reference, and keeps its addressee.
    const staffMail = enqueueMail(
      t.db,
      { ...signInMail.draft({ orgName: "Test Org", link: "https://rights.example.org/x", linkMinutes: 30 }), to: "staff@example.org", kind: "new-request", requestId: request.id },
      { now, appUrl: "https://rights.example.org" },
    );
    t.db.update(mailOutbox).set({ status: "sent", sentAt: new Date(now.getTime() + 60_000) }).run();
    expect(redactMailToErasedSubjects(t.db, ctx.authSecret)).toBeGreaterThan(0);
    expect(t.db.select().from(mailOutbox).where(eq(mailOutbox.id, staffMail)).get()).toMatchObject({ toAddress: "staff@example.org" });
    expect(t.db.select().from(mailOutbox).where(eq(mailOutbox.kind, "completed")).get()).toMatchObject({
      toAddress: request.subjectEmail,
      template: null,
      props: null,
    });
    const dump = JSON.stringify([t.db.select().from(mailOutbox).all(), t.db.select().from(requests).all(), t.db.select().from(requestEvents).all()]);
    expect(dump).not.toContain(ANN);
  });

  it("staff cannot complete an erasure by hand", () => {
    const reference = fileErasure("cat@example.org");
    expect(completeRequest(t.db, { reference, actor: ADMIN, expectedVersion: 1, note: null, now, ctx })).toMatchObject({ ok: false });
  });
  it("takes the person's current choices with their data, and keeps their history only under the keyed marker", () => {
    const CAT = "cat@example.org";
    seedSupporter(t.db, { email: CAT, lists: ["newsletter", "appeals"] });
    inTransaction(t.db, (tx) => leaveLists(tx, { email: CAT, lists: ["appeals"], at: now, now, source: { route: "page", wording: "Preference page." } }));
    const reference = fileErasure(CAT);
    const plan = planErasure(t.db, { email: CAT, now, timeZone: "UTC" });
    expect(plan.kept.at(-1)).toMatchObject({ count: 1, what: expect.stringContaining("each choice about emails") });
    // The signed receipt's list of what was deleted counts the current choices (one: the list left).
    expect(plan.deleted.at(-1)).toEqual({ what: "Current choices about emails and about selling and sharing", count: 1 });
    expect(approve(reference)).toMatchObject({ ok: true });
    expect(t.db.select().from(consents).where(eq(consents.email, CAT)).all()).toEqual([]);
    expect(t.db.select().from(consentChanges).where(eq(consentChanges.email, CAT)).all()).toEqual([]);
    const marker = `erased:${suppressionHash(CAT, ctx.authSecret)}`;
    expect(t.db.select({ list: consentChanges.list, state: consentChanges.state }).from(consentChanges).where(eq(consentChanges.email, marker)).all()).toEqual([
      { list: "appeals", state: "withdrawn" },
    ]);
  });
});

describe("the erasure's completion email, in every language", () => {
  let t: TempDatabase;
  beforeAll(() => {
    t = openTempDatabase();
  });
  afterAll(() => t.close());

  function approve(reference: string) {
    expect(startReview(t.db, { reference, actor: ADMIN, expectedVersion: 1, now })).toMatchObject({ ok: true });
    return approveRequest(t.db, { reference, actor: ADMIN, expectedVersion: 2, now, ctx, confirmedErasure: true });
  }

  it.each([
    ["en", "Your address, only as a code made from it with a secret key (a keyed hash)"],
    ["fr", "Votre adresse, uniquement sous forme d’empreinte calculée avec une clé secrète (hachage), sur notre liste d’exclusion"],
    ["es", "Su dirección, solo como huella calculada con una clave secreta (hash), en nuestra lista de exclusión"],
    ["de", "Ihre Adresse, nur als mit geheimem Schlüssel gebildeter Hashwert, auf unserer Sperrliste"],
  ] as const)("the completion email in %s says the address is kept as a keyed hash, not encrypted", async (language, kept) => {
    const email = `hash-${language}@example.org`;
    seedSupporter(t.db, { email, donations: 1 });
    const reference = filed(
      fileVerifiedRequest(t.db, { submission: { type: "erasure", email, details: { type: "erasure", confirmed: true }, language }, now, ctx }),
    ).reference;
    expect(approve(reference)).toMatchObject({ ok: true, request: { status: "completed" } });
    const mail = t.db.select().from(mailOutbox).where(eq(mailOutbox.requestId, requestRow(t.db, reference)!.id)).all().find((m) => m.kind === "completed")!;
    const { text } = await renderOutboxMail(mail);
    expect(text.replace(/\s+/g, " ")).toContain(kept);
    // A keyed hash cannot be turned back into the address; encryption could.
    expect(text).not.toMatch(/encrypt|verschlüssel|chiffré|cifrad/i);
  });

  // The address is erased, but a request still open (here a concern filed beside the erasure) is answered to it,
  // and a new request is confirmed at it: the email must not say it is the last one that address will get.
  it.each([
    ["en", "We will not write to this address again, except about another request you have made to us or make in future."],
    ["fr", "Nous n’écrirons plus à cette adresse, sauf au sujet d’une autre demande que vous nous avez faite ou que vous nous ferez."],
    ["es", "No volveremos a escribir a esta dirección, salvo sobre otra solicitud que nos haya hecho o nos haga en el futuro."],
    ["de", "Wir schreiben dieser Adresse nicht mehr, außer zu einer anderen Anfrage, die Sie an uns gerichtet haben oder noch richten."],
  ] as const)("in %s promises no more mail only as far as it is kept: a request still open is answered to the address", async (language, promise) => {
    const email = `open-${language}@example.org`;
    seedSupporter(t.db, { email, donations: 0 });
    const concern = filed(
      fileVerifiedRequest(t.db, { submission: { type: "concern", email, details: { type: "concern", message: "Why did you write to me?" }, language }, now, ctx }),
    ).reference;
    const reference = filed(
      fileVerifiedRequest(t.db, { submission: { type: "erasure", email, details: { type: "erasure", confirmed: true }, language }, now, ctx }),
    ).reference;
    expect(approve(reference)).toMatchObject({ ok: true, request: { status: "completed" } });
    const erasureMail = t.db.select().from(mailOutbox).where(eq(mailOutbox.requestId, requestRow(t.db, reference)!.id)).all().find((m) => m.kind === "completed")!;
    const text = (await renderOutboxMail(erasureMail)).text.replace(/\s+/g, " ");
    expect(text).toContain(promise);
    expect(text).not.toMatch(/last email|dernier que nous envoyons|letzte E-Mail|último correo/i);
    // What the promise allows for happens: the open concern is answered, to the erased address.
    expect(startReview(t.db, { reference: concern, actor: ADMIN, expectedVersion: 1, now })).toMatchObject({ ok: true });
    expect(answerConcern(t.db, { reference: concern, actor: ADMIN, expectedVersion: 2, note: "We have looked into it.", now, ctx })).toMatchObject({ ok: true });
    const later = t.db.select().from(mailOutbox).where(eq(mailOutbox.requestId, requestRow(t.db, concern)!.id)).all().filter((m) => m.id > erasureMail.id);
    expect(later.map((m) => m.toAddress)).toContain(email);
  });

  // The kinds kept are named only where the erasure found something of that kind, as the signed receipt in the
  // same email counts them; and the sentence before them claims no legal duty for what no law requires.
  it.each([
    ["en", 1, "Donations (amount, currency, date, method)", "We keep only the records below, and none of them shows your name or your address:"],
    ["en", 0, "Donations (amount, currency, date, method)", "We keep only the records below, and none of them shows your name or your address:"],
    ["fr", 1, "Dons (montant, devise, date, moyen de paiement)", "Nous ne gardons que les éléments ci-dessous, et aucun ne montre votre nom ni votre adresse :"],
    ["fr", 0, "Dons (montant, devise, date, moyen de paiement)", "Nous ne gardons que les éléments ci-dessous, et aucun ne montre votre nom ni votre adresse :"],
    ["es", 1, "Donaciones (importe, moneda, fecha, forma de pago)", "Solo conservamos los registros siguientes, y ninguno muestra su nombre ni su dirección:"],
    ["es", 0, "Donaciones (importe, moneda, fecha, forma de pago)", "Solo conservamos los registros siguientes, y ninguno muestra su nombre ni su dirección:"],
    ["de", 1, "Spenden (Betrag, Währung, Datum, Zahlungsart)", "Wir bewahren nur die folgenden Unterlagen auf, und keine davon zeigt Ihren Namen oder Ihre Adresse:"],
    ["de", 0, "Spenden (Betrag, Währung, Datum, Zahlungsart)", "Wir bewahren nur die folgenden Unterlagen auf, und keine davon zeigt Ihren Namen oder Ihre Adresse:"],
  ] as const)("in %s, for a person with %i donation(s), names donations kept only if there were any", async (language, donationCount, donationsKept, intro) => {
    const email = `kept-${language}-${donationCount}@example.org`;
    seedSupporter(t.db, { email, donations: donationCount });
    const reference = filed(
      fileVerifiedRequest(t.db, { submission: { type: "erasure", email, details: { type: "erasure", confirmed: true }, language }, now, ctx }),
    ).reference;
    expect(approve(reference)).toMatchObject({ ok: true, request: { status: "completed" } });
    const mail = t.db.select().from(mailOutbox).where(eq(mailOutbox.requestId, requestRow(t.db, reference)!.id)).all().find((m) => m.kind === "completed")!;
    const text = (await renderOutboxMail(mail)).text.replace(/\s+/g, " ");
    expect(text).toContain(intro.replace(/\s+/g, " "));
    if (donationCount > 0) expect(text).toContain(donationsKept);
    else expect(text).not.toContain(donationsKept);
    // No history of choices about emails existed, so none is said to be kept; the address is kept as a keyed hash.
    expect(text).not.toMatch(/each of your choices|chacun de vos choix|jede Ihrer Entscheidungen|cada una de sus decisiones/);
    expect(text).toMatch(/keyed hash|hachage|Hashwert|hash/);
    expect(text).not.toMatch(/law requires us to keep a few|loi nous oblige à garder quelques|von Gesetzes wegen aufbewahren\. Wir|ley nos obliga a conservar algunos/);
  });

});
