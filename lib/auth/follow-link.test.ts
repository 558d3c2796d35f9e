import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Tx } from "@/db/connection";
import { mailOutbox, passkeys, requestDrafts, requests, sessions, signInPolicy, staff, usedSignInLinks, users, verificationTokens } from "@/db/schema";
import { confirmDraftIn } from "@/lib/requests/intake/confirm-draft";
import { createDraft } from "@/lib/requests/intake/create-draft";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { countRows, openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { followSignInLink } from "./follow-link";
import { loadViewer } from "./load-viewer";
import { SESSION_HOURS, storedSessionToken } from "./sessions";
import { createSignInLink } from "./sign-in-link";

const ctx = TEST_CONTEXT;
const issuedAt = new Date("2026-05-04T10:00:00Z");
const minutes = (n: number) => new Date(issuedAt.getTime() + n * 60_000);

describe("following a sign-in link (the button on the link page)", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  /** A link as emailed: its token, address and destination. */
  function issue(email = "ann@example.org", callbackPath = "/requests") {
    const url = new URL(createSignInLink(t.db, { email, callbackPath, now: issuedAt, appUrl: ctx.appUrl, secret: ctx.authSecret }));
    return { token: url.searchParams.get("token") ?? "", email: url.searchParams.get("email") ?? "", next: url.searchParams.get("next") ?? "" };
  }
  const follow = <T = null>(
    link: { token: string; email: string },
    now: Date,
    options: { replacingSession?: string | null; then?: (tx: Tx, email: string) => T } = {},
  ) =>
    followSignInLink(
      t.db,
      { email: link.email, token: link.token, now, secret: ctx.authSecret, replacingSession: options.replacingSession ?? null },
      options.then ?? (() => null as T),
    );
  const counts = () => ({ users: countRows(t.db, users), sessions: countRows(t.db, sessions), requests: countRows(t.db, requests) });

  it("spends the link and signs its address in as next-auth's database sessions do", () => {
    const link = issue();
    const followed = follow(link, minutes(5));
    if (!followed.ok) throw new Error(`not followed: ${followed.why}`);
    expect(followed.email).toBe("ann@example.org");
    expect(followed.session.expires).toEqual(new Date(minutes(5).getTime() + SESSION_HOURS * 3_600_000));
    expect(t.db.select().from(users).all()).toEqual([
      { id: expect.any(String), name: null, email: "ann@example.org", emailVerified: minutes(5), image: null },
    ]);
    expect(t.db.select().from(sessions).all()).toEqual([
      {
        sessionToken: storedSessionToken(followed.session.token),
        userId: t.db.select().from(users).get()!.id,
        expires: followed.session.expires,
        createdAt: minutes(5),
        lastSeenAt: minutes(5),
        device: null,
        secondFactor: null,
      },
    ]);
    expect(loadViewer(t.db, followed.session.token, minutes(6))).toMatchObject({ email: "ann@example.org", role: "supporter" });
    expect(countRows(t.db, verificationTokens)).toBe(0);
    expect(countRows(t.db, usedSignInLinks)).toBe(1);
  });

  it.each<[string, "admin" | null, boolean, boolean, "passkey" | "enrol" | null]>([
    ["a supporter", null, false, false, null],
    ["a supporter, with passkeys required of staff", null, false, true, null],
    ["staff without a passkey", "admin", false, false, null],
    ["staff with a passkey", "admin", true, false, "passkey"],
    ["staff without a passkey, when passkeys are required", "admin", false, true, "enrol"],
    ["staff with a passkey, when passkeys are required", "admin", true, true, "passkey"],
  ])("%s: the session waits for %j", (_who, role, hasPasskey, required, expected) => {
    if (role) {
      const member = t.db.insert(staff).values({ email: "ann@example.org", role, addedAt: issuedAt }).returning().get();
      if (hasPasskey) t.db.insert(passkeys).values({ staffId: member.id, credentialId: "cred", publicKey: "key", name: "Laptop", createdAt: issuedAt }).run();
    }
    if (required) t.db.insert(signInPolicy).values({ id: 1, passkeysRequired: true, updatedAt: issuedAt, updatedBy: "lead@example.org" }).run();
    const followed = follow(issue(), minutes(5));
    if (!followed.ok) throw new Error(followed.why);
    expect(followed.session.secondFactor).toBe(expected);
    // Waiting, the session is no staff member's: a supporter's at most.
    expect(loadViewer(t.db, followed.session.token, minutes(6))?.role).toBe(role && expected === null ? role : "supporter");
  });

  it("signs a returning address in as the same user, and ends the session the browser had before", () => {
    const first = follow(issue(), minutes(1));
    if (!first.ok) throw new Error(first.why);
    const userId = t.db.select().from(users).get()!.id;
    const again = follow(issue(), minutes(2), { replacingSession: first.session.token });
    if (!again.ok) throw new Error(again.why);
    expect(t.db.select().from(users).all()).toMatchObject([{ id: userId, emailVerified: minutes(2) }]);
    expect(t.db.select({ token: sessions.sessionToken }).from(sessions).all()).toEqual([{ token: storedSessionToken(again.session.token) }]);
    expect(again.session.token).not.toBe(first.session.token);
  });

  type Link = { token: string; email: string };
  it.each<[string, (link: Link) => Link, Date, string]>([
    ["a made-up token", (link) => ({ ...link, token: "f".repeat(64) }), minutes(1), "invalid"],
    ["the token for another address", (link) => ({ ...link, email: "eve@example.org" }), minutes(1), "invalid"],
    ["no token at all", (link) => ({ ...link, token: "" }), minutes(1), "invalid"],
    ["a link in its 30th minute", (link) => link, minutes(30), "expired"],
  ])("refuses %s, and signs nobody in", (_what, alter, now, why) => {
    const link = issue();
    expect(follow(alter(link), now)).toEqual({ ok: false, why });
    expect(counts()).toEqual({ users: 0, sessions: 0, requests: 0 });
  });

  it("works once: following it again says it was used, and signs nobody in", () => {
    const link = issue();
    expect(follow(link, minutes(1)).ok).toBe(true);
    const before = counts();
    expect(follow(link, minutes(2))).toEqual({ ok: false, why: "used" });
    expect(counts()).toEqual(before);
  });

  it("leaves the link unspent and nobody signed in when what it is for fails", () => {
    const link = issue();
    expect(() =>
      follow(link, minutes(1), {
        then: () => {
          throw new Error("the database went away");
        },
      }),
    ).toThrow("the database went away");
    expect(counts()).toEqual({ users: 0, sessions: 0, requests: 0 });
    expect(countRows(t.db, usedSignInLinks)).toBe(0);
    // The person can press the button again.
    expect(follow(link, minutes(2)).ok).toBe(true);
  });

  it("confirms a draft in the same step: one request, however often the link is followed", () => {
    createDraft(t.db, {
      submission: { type: "concern", email: "ann@example.org", details: { type: "concern", message: "Why the letters?" } },
      now: issuedAt,
      ctx,
    });
    const draftKey = t.db.select({ key: requestDrafts.key }).from(requestDrafts).get()!.key;
    // The link the draft's email carries (the worker renders the message from these props).
    const url = new URL((t.db.select().from(mailOutbox).get()!.props as { link: string }).link);
    expect(url.searchParams.get("next")).toBe(`/requests/confirm?draft=${draftKey}`);
    const link = { token: url.searchParams.get("token") ?? "", email: "ann@example.org" };

    const confirm = (tx: Tx, email: string) => confirmDraftIn(tx, { draftKey, viewerEmail: email, now: minutes(3), ctx });
    const followed = follow(link, minutes(3), { then: confirm });
    expect(followed).toMatchObject({ ok: true, then: { ok: true, alreadyConfirmed: false, reference: expect.stringMatching(/^RD-/) } });
    expect(follow(link, minutes(4), { then: confirm })).toEqual({ ok: false, why: "used" });
    expect(countRows(t.db, requests)).toBe(1);
  });
});
