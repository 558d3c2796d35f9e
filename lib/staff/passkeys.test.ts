import { eq } from "drizzle-orm";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mailOutbox, passkeys, sessions, staffEvents, users, webauthnChallenges } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { loadViewer } from "@/lib/auth/load-viewer";
import { secondFactorFor } from "@/lib/auth/second-factor";
import { startSession, storedSessionToken } from "@/lib/auth/sessions";
import { counterMovesOn, relyingPartyFor, type RelyingParty } from "@/lib/auth/webauthn";
import { renderOutboxMail } from "@/lib/testing/outbox";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { SoftAuthenticator } from "@/lib/testing/soft-authenticator";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import {
  beginAuthentication,
  beginRegistration,
  finishAuthentication,
  finishRegistration,
  listPasskeys,
  removeOwnPasskey,
  resetPasskeys,
  savePasskeyPolicy,
} from "./passkeys";
import { addStaffMember } from "./staff-members";

const RP: RelyingParty = { id: "rights.example.org", origin: "https://rights.example.org", name: "Test Org" };
const now = new Date("2026-05-04T10:00:00Z");
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

describe("relyingPartyFor", () => {
  it.each<[string, boolean, string | null]>([
    ["https://rights.example.org", true, "rights.example.org"],
    ["http://localhost:3000", true, "localhost"],
    ["http://127.0.0.1:3000", false, null],
    ["http://[::1]:3000", false, null],
  ])("%s: passkeys work %s", (appUrl, works, id) => {
    const rp = relyingPartyFor(appUrl, "Org");
    expect(rp.ok).toBe(works);
    if (rp.ok) expect(rp.rp).toEqual({ id, origin: new URL(appUrl).origin, name: "Org" });
  });
});

describe("counterMovesOn", () => {
  it.each<[number, number, boolean]>([
    [0, 0, true], // an authenticator that keeps no count
    [0, 1, true],
    [4, 5, true],
    [4, 9, true],
    [5, 5, false], // stood still: a copy
    [5, 3, false], // went back: a copy
    [5, 0, false], // a copy that stopped counting
  ])("stored %i, answered %i: %s", (stored, next, fine) => {
    expect(counterMovesOn(stored, next)).toBe(fine);
  });
});

describe("staff passkeys", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
    addStaffMember(t.db, { email: "lead@example.org", role: "admin", now });
    addStaffMember(t.db, { email: "rev@example.org", role: "reviewer", now });
  });
  afterEach(() => t.close());

  /** A session as the emailed link starts it, waiting for whatever the member's account asks. */
  const signIn = (email: string, at = now) =>
    inTransaction(t.db, (tx) => startSession(tx, { email, now: at, replacing: null, secondFactor: secondFactorFor(tx, email) })).token;
  const sessionState = (token: string) => t.db.select({ secondFactor: sessions.secondFactor }).from(sessions).where(eq(sessions.sessionToken, storedSessionToken(token))).get()?.secondFactor;
  const record = (kind: string) => t.db.select().from(staffEvents).where(eq(staffEvents.kind, kind as never)).all();

  async function register(email: string, token: string, device = new SoftAuthenticator(RP), name = "Laptop") {
    const begun = await beginRegistration(t.db, { email, sessionToken: token, rp: RP, now });
    if (!begun.ok) throw new Error(begun.message);
    const result = await finishRegistration(t.db, { email, sessionToken: token, rp: RP, response: device.register(begun.options.challenge), name, now });
    return { result, device };
  }

  async function authenticate(email: string, token: string, device: SoftAuthenticator, bend = {}) {
    const begun = await beginAuthentication(t.db, { email, sessionToken: token, rp: RP, now });
    if (!begun.ok) throw new Error(begun.message);
    return finishAuthentication(t.db, { email, sessionToken: token, rp: RP, response: device.authenticate(begun.options.challenge, bend), now });
  }

  it("adds a passkey: stored under its name, on the record; from then on the link alone stops at the passkey", async () => {
    const token = signIn("rev@example.org");
    expect(sessionState(token)).toBeNull();
    const { result, device } = await register("rev@example.org", token, undefined, "Work laptop");
    // Added from a session already signed in: it keeps its token.
    expect(result).toEqual({ ok: true, message: 'Passkey "Work laptop" added. From now on, signing in asks for a passkey after the emailed link.', renewed: null });
    expect(t.db.select().from(passkeys).all()).toEqual([
      expect.objectContaining({ credentialId: device.id, name: "Work laptop", counter: 0, transports: ["internal"], createdAt: now, lastUsedAt: null }),
    ]);
    expect(record("passkey_added")).toEqual([expect.objectContaining({ actorEmail: "rev@example.org", subjectEmail: "rev@example.org", note: '"Work laptop".' })]);
    // The challenge was spent.
    expect(t.db.select().from(webauthnChallenges).all()).toEqual([]);
    // The next sign-in by link waits for the passkey, and is no staff session until then.
    const next = signIn("rev@example.org", later(60));
    expect(sessionState(next)).toBe("passkey");
    expect(loadViewer(t.db, next, later(61))).toEqual({ userId: expect.any(String), email: "rev@example.org", role: "supporter", awaiting: "passkey" });
  });

  it.each<[string, (challenge: string, device: SoftAuthenticator) => ReturnType<SoftAuthenticator["register"]>]>([
    ["from another origin", (c, d) => d.register(c, { origin: "https://evil.example" })],
    ["for another relying party", (c, d) => d.register(c, { rpId: "evil.example" })],
    ["answering another challenge", (_c, d) => d.register("c29tZXRoaW5nLWVsc2U")],
    ["of the wrong kind (a sign-in answer)", (c, d) => d.register(c, { type: "webauthn.get" })],
  ])("refuses a new passkey %s, and stores nothing", async (_what, answer) => {
    const token = signIn("rev@example.org");
    const device = new SoftAuthenticator(RP);
    const begun = await beginRegistration(t.db, { email: "rev@example.org", sessionToken: token, rp: RP, now });
    if (!begun.ok) throw new Error(begun.message);
    const result = await finishRegistration(t.db, { email: "rev@example.org", sessionToken: token, rp: RP, response: answer(begun.options.challenge, device), name: "x", now });
    expect(result).toEqual({ ok: false, message: "That passkey was not accepted. Please try again." });
    expect(t.db.select().from(passkeys).all()).toEqual([]);
  });

  it("names the account to the device by the same random handle every time, never by its address", async () => {
    const handleOf = async (email: string, token: string) => {
      const begun = await beginRegistration(t.db, { email, sessionToken: token, rp: RP, now });
      if (!begun.ok) throw new Error(begun.message);
      return begun.options.user.id;
    };
    const first = await handleOf("rev@example.org", signIn("rev@example.org"));
    // Another try, and another session of the same account: the same handle, so a device replaces its passkey.
    expect(await handleOf("rev@example.org", signIn("rev@example.org"))).toBe(first);
    const accountId = t.db.select({ id: users.id }).from(users).where(eq(users.email, "rev@example.org")).get()!.id;
    expect(Buffer.from(first, "base64url").toString("utf8")).toBe(accountId);
    expect(Buffer.from(first, "base64url").toString("utf8")).not.toContain("rev@");
    // Another account, another handle.
    expect(await handleOf("lead@example.org", signIn("lead@example.org"))).not.toBe(first);
  });

  it("a challenge answers once, and not after five minutes", async () => {
    const token = signIn("rev@example.org");
    const device = new SoftAuthenticator(RP);
    const begun = await beginRegistration(t.db, { email: "rev@example.org", sessionToken: token, rp: RP, now });
    if (!begun.ok) throw new Error(begun.message);
    const answer = device.register(begun.options.challenge);
    const stale = await finishRegistration(t.db, { email: "rev@example.org", sessionToken: token, rp: RP, response: answer, name: "x", now: later(301) });
    expect(stale).toEqual({ ok: false, message: "That took too long, or the page was opened twice. Please try again." });
    // Spent by the first try, late as it was: the same answer again finds no challenge.
    expect(await finishRegistration(t.db, { email: "rev@example.org", sessionToken: token, rp: RP, response: answer, name: "x", now })).toMatchObject({ ok: false });
    expect(t.db.select().from(passkeys).all()).toEqual([]);
  });

  it("a challenge belongs to the session it was given to", async () => {
    const mine = signIn("rev@example.org");
    const other = signIn("rev@example.org");
    const begun = await beginRegistration(t.db, { email: "rev@example.org", sessionToken: mine, rp: RP, now });
    if (!begun.ok) throw new Error(begun.message);
    const device = new SoftAuthenticator(RP);
    const result = await finishRegistration(t.db, { email: "rev@example.org", sessionToken: other, rp: RP, response: device.register(begun.options.challenge), name: "x", now });
    expect(result).toMatchObject({ ok: false });
  });

  it("the passkey after the link: the session may then reach the dashboard, under a new token; the counter moves on", async () => {
    const { device } = await register("rev@example.org", signIn("rev@example.org"));
    const token = signIn("rev@example.org", later(60));
    const result = await authenticate("rev@example.org", token, device);
    const expires = new Date(later(60).getTime() + 12 * 3_600_000);
    expect(result).toEqual({ ok: true, message: "Thank you: you are signed in.", renewed: { token: expect.any(String), expires } });
    const renewed = result.ok ? result.renewed!.token : "";
    expect(renewed).not.toBe(token);
    // The token known before the passkey was used (planted in the browser, say) opens nothing now; the new one is staff.
    expect(loadViewer(t.db, token, later(61))).toBeNull();
    expect(sessionState(renewed)).toBeNull();
    expect(loadViewer(t.db, renewed, later(61))).toMatchObject({ role: "reviewer" });
    // Renewed in place: the member has the two sessions they signed in with, no third.
    expect(t.db.select().from(sessions).all()).toHaveLength(2);
    expect(t.db.select({ counter: passkeys.counter, lastUsedAt: passkeys.lastUsedAt }).from(passkeys).get()).toEqual({ counter: 1, lastUsedAt: now });
  });

  it.each<[string, { origin?: string; rpId?: string; counter?: number }]>([
    ["from another origin", { origin: "https://evil.example" }],
    ["for another relying party", { rpId: "evil.example" }],
    // A counter that does not move on means the key was copied.
    ["with a counter that went back", { counter: 0 }],
  ])("refuses a passkey's answer %s, and the session keeps waiting", async (_what, bend) => {
    const { device } = await register("rev@example.org", signIn("rev@example.org"));
    const first = signIn("rev@example.org", later(30));
    expect(await authenticate("rev@example.org", first, device)).toMatchObject({ ok: true });
    const token = signIn("rev@example.org", later(60));
    expect(await authenticate("rev@example.org", token, device, bend)).toEqual({ ok: false, message: "That passkey was not accepted. Please try again." });
    expect(sessionState(token)).toBe("passkey");
  });

  it("a copied passkey answering at the same moment as the real one, with the same count: only one answer signs in", async () => {
    const { device } = await register("rev@example.org", signIn("rev@example.org"));
    const sessionsNow = [signIn("rev@example.org", later(30)), signIn("rev@example.org", later(31))];
    const answers: AuthenticationResponseJSON[] = [];
    for (const token of sessionsNow) {
      const begun = await beginAuthentication(t.db, { email: "rev@example.org", sessionToken: token, rp: RP, now });
      if (!begun.ok) throw new Error(begun.message);
      // Both copies of the key hold the same count and move on to the same next one.
      answers.push(device.authenticate(begun.options.challenge, { counter: 1 }));
    }
    // Checked together: each is checked against the counter as it stood before either was stored.
    const results = await Promise.all(
      sessionsNow.map((token, i) => finishAuthentication(t.db, { email: "rev@example.org", sessionToken: token, rp: RP, response: answers[i]!, now })),
    );
    expect(results.filter((r) => r.ok)).toEqual([{ ok: true, message: "Thank you: you are signed in.", renewed: expect.anything() }]);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, message: "That passkey was not accepted. Please try again." }]);
    // The refused one still waits; the other went on under a new token.
    expect(sessionsNow.map(sessionState)).toEqual(results.map((r) => (r.ok ? undefined : "passkey")));
    expect(t.db.select({ counter: passkeys.counter }).from(passkeys).get()).toEqual({ counter: 1 });
  });

  it("refuses another staff member's passkey", async () => {
    const { device: leads } = await register("lead@example.org", signIn("lead@example.org"));
    await register("rev@example.org", signIn("rev@example.org"));
    const token = signIn("rev@example.org", later(60));
    const begun = await beginAuthentication(t.db, { email: "rev@example.org", sessionToken: token, rp: RP, now });
    if (!begun.ok) throw new Error(begun.message);
    const result = await finishAuthentication(t.db, { email: "rev@example.org", sessionToken: token, rp: RP, response: leads.authenticate(begun.options.challenge), now });
    expect(result).toEqual({ ok: false, message: "That passkey is not one of yours. Use a passkey you added to this account." });
    expect(sessionState(token)).toBe("passkey");
  });

  // A passkey named when sign-in began and removed before the answer came: the member is told what happened.
  it.each([
    ["one of two removed", false, "That passkey was removed from your account while you were signing in. Use another of your passkeys."],
    ["the last one removed", true, "Your account has no passkey any more: it was removed while you were signing in. Please sign in again."],
  ] as const)("a passkey removed during sign-in, %s, is said to be removed", async (_what, removeAll, message) => {
    const setup = signIn("rev@example.org");
    const { device: laptop } = await register("rev@example.org", setup, undefined, "Laptop");
    await register("rev@example.org", setup, undefined, "Phone");
    const token = signIn("rev@example.org", later(60));
    const begun = await beginAuthentication(t.db, { email: "rev@example.org", sessionToken: token, rp: RP, now });
    if (!begun.ok) throw new Error(begun.message);
    for (const key of listPasskeys(t.db, "rev@example.org")) {
      if (removeAll || key.name === "Laptop") expect(removeOwnPasskey(t.db, { email: "rev@example.org", id: key.id, now })).toMatchObject({ ok: true });
    }
    const result = await finishAuthentication(t.db, { email: "rev@example.org", sessionToken: token, rp: RP, response: laptop.authenticate(begun.options.challenge), now });
    expect(result).toEqual({ ok: false, message });
    // Still waiting for a passkey: another of theirs can finish it.
    if (!removeAll) expect(sessionState(token)).toBe("passkey");
  });

  it("removes one's own passkey, on the record; under the rule, never the last", async () => {
    const token = signIn("lead@example.org");
    await register("lead@example.org", token, undefined, "Laptop");
    await register("lead@example.org", token, undefined, "Phone");
    expect(savePasskeyPolicy(t.db, { by: "lead@example.org", required: true, now })).toMatchObject({ ok: true });
    const [laptop, phone] = listPasskeys(t.db, "lead@example.org");
    expect(removeOwnPasskey(t.db, { email: "lead@example.org", id: laptop!.id, now })).toEqual({ ok: true, message: 'Passkey "Laptop" removed.' });
    expect(removeOwnPasskey(t.db, { email: "lead@example.org", id: phone!.id, now })).toEqual({
      ok: false,
      message: "Your organisation requires a passkey: add another before removing your last one.",
    });
    // Someone else's passkey is not theirs to remove.
    expect(removeOwnPasskey(t.db, { email: "rev@example.org", id: phone!.id, now })).toEqual({ ok: false, message: "That passkey has already been removed." });
    expect(listPasskeys(t.db, "lead@example.org").map((k) => k.name)).toEqual(["Phone"]);
    expect(record("passkey_removed")).toHaveLength(1);
  });

  it("an admin resets a member's passkeys: gone, sessions ended, on the record, the member emailed", async () => {
    await register("rev@example.org", signIn("rev@example.org"));
    signIn("rev@example.org", later(10));
    expect(resetPasskeys(t.db, { by: "lead@example.org", email: "rev@example.org", now, ctx: TEST_CONTEXT })).toEqual({
      ok: true,
      message: "Removed 1 passkey of rev@example.org and ended their sessions. They have been emailed.",
    });
    expect(listPasskeys(t.db, "rev@example.org")).toEqual([]);
    expect(t.db.select().from(sessions).all()).toEqual([]);
    expect(record("passkeys_reset")).toEqual([
      expect.objectContaining({ actorEmail: "lead@example.org", subjectEmail: "rev@example.org", note: "1 passkey removed; every session ended; the member was emailed." }),
    ]);
    const [mail] = t.db.select().from(mailOutbox).all();
    expect(mail).toMatchObject({ toAddress: "rev@example.org", kind: "passkeys-reset", subject: "The passkeys of your staff account at Test Org were removed" });
    const { text } = await renderOutboxMail(mail!);
    expect(text).toContain("lead@example.org removed every passkey of your staff account on");
    // The link alone signs them in again.
    expect(secondFactorFor(t.db, "rev@example.org")).toBeNull();
  });

  it.each<[string, string | null, string, string]>([
    ["one's own", "lead@example.org", "lead@example.org", "You cannot reset your own passkeys: another admin must do it"],
    ["someone not on the staff list", "lead@example.org", "ann@example.org", "ann@example.org is not on the staff list."],
    ["a member with none", "lead@example.org", "rev@example.org", "rev@example.org has no passkey to reset."],
  ])("refuses to reset %s, and changes nothing", async (_what, by, email, message) => {
    await register("lead@example.org", signIn("lead@example.org"));
    const result = resetPasskeys(t.db, { by, email, now, ctx: TEST_CONTEXT });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
    expect(listPasskeys(t.db, "lead@example.org")).toHaveLength(1);
    expect(t.db.select().from(mailOutbox).all()).toEqual([]);
  });

  it("the command line (no admin named) may reset the last admin's passkeys", async () => {
    await register("lead@example.org", signIn("lead@example.org"));
    expect(resetPasskeys(t.db, { by: null, email: "lead@example.org", now, ctx: TEST_CONTEXT })).toMatchObject({ ok: true });
    expect(record("passkeys_reset")[0]).toMatchObject({ actorEmail: null });
  });

  it("requiring passkeys needs one's own first; then members signed in without one must add one", async () => {
    const revToken = signIn("rev@example.org");
    const leadToken = signIn("lead@example.org");
    expect(savePasskeyPolicy(t.db, { by: "lead@example.org", required: true, now })).toEqual({
      ok: false,
      message: "Add a passkey to your own account first (Your account), so that requiring them cannot lock you out.",
    });
    await register("lead@example.org", leadToken);
    expect(savePasskeyPolicy(t.db, { by: "lead@example.org", required: true, now })).toEqual({
      ok: true,
      message: "Passkeys are now required of every staff member. 1 session of staff without one must add one before going on.",
    });
    expect(sessionState(revToken)).toBe("enrol");
    expect(sessionState(leadToken)).toBeNull();
    expect(secondFactorFor(t.db, "rev@example.org")).toBe("enrol");
    expect(secondFactorFor(t.db, "ann@example.org")).toBeNull();
    // Adding one ends the wait.
    const { result } = await register("rev@example.org", revToken);
    expect(result).toMatchObject({ ok: true, renewed: { token: expect.any(String) } });
    if (result.ok) expect(sessionState(result.renewed!.token)).toBeNull();
    expect(sessionState(revToken)).toBeUndefined();
    expect(record("passkey_policy_changed")).toHaveLength(1);
    expect(savePasskeyPolicy(t.db, { by: "lead@example.org", required: false, now })).toEqual({ ok: true, message: "Passkeys are now each member's choice." });
  });

  /** Requires passkeys of everyone, as the admin (who has one) does on /staff/settings. */
  async function requirePasskeys() {
    await register("lead@example.org", signIn("lead@example.org"));
    expect(savePasskeyPolicy(t.db, { by: "lead@example.org", required: true, now })).toMatchObject({ ok: true });
  }

  it("once a member adds a passkey in one session, their others waiting to add a first one wait to use it instead", async () => {
    await requirePasskeys();
    const here = signIn("rev@example.org");
    const there = signIn("rev@example.org");
    expect([sessionState(here), sessionState(there)]).toEqual(["enrol", "enrol"]);
    const { result } = await register("rev@example.org", here);
    if (result.ok) expect(sessionState(result.renewed!.token)).toBeNull();
    // As a sign-in now would: the other session must use the passkey, not add one of its own to get past it.
    expect(sessionState(there)).toBe("passkey");
    expect(loadViewer(t.db, there, later(1))).toMatchObject({ role: "supporter", awaiting: "passkey" });
    expect(sessionState(signIn("rev@example.org", later(2)))).toBe("passkey");
  });

  it("when passkeys stop being required, a member signed in who was told to add one first need not", async () => {
    await requirePasskeys();
    const token = signIn("rev@example.org");
    expect(sessionState(token)).toBe("enrol");
    expect(savePasskeyPolicy(t.db, { by: "lead@example.org", required: false, now })).toMatchObject({ ok: true });
    expect(sessionState(token)).toBeNull();
    expect(loadViewer(t.db, token, later(1))).toMatchObject({ role: "reviewer" });
    // As a new sign-in would be.
    expect(sessionState(signIn("rev@example.org", later(2)))).toBeNull();
  });

  it.each<[string, boolean, "enrol" | null]>([
    ["passkeys required: they must add one before the dashboard", true, "enrol"],
    ["passkeys each member's choice: the session is theirs as staff at once", false, null],
  ])("someone signed in as a supporter who is then put on the staff list, %s", async (_what, required, waits) => {
    if (required) await requirePasskeys();
    const token = signIn("ann@example.org");
    expect(sessionState(token)).toBeNull();
    expect(loadViewer(t.db, token, later(1))).toMatchObject({ role: "supporter" });
    addStaffMember(t.db, { email: "ann@example.org", role: "reviewer", now: later(2) });
    expect(sessionState(token)).toBe(waits);
    expect(loadViewer(t.db, token, later(3))).toMatchObject(waits ? { role: "supporter", awaiting: waits } : { role: "reviewer" });
    // The same as a new sign-in by link.
    expect(sessionState(signIn("ann@example.org", later(4)))).toBe(waits);
  });
});
