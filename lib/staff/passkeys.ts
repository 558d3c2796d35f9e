/**
 * Staff passkeys: adding and removing one's own, signing in with one after
 * the emailed link, an admin resetting a member's (on the record, the member
 * emailed), and the rule that every staff member must use one. Each
 * ceremony has two halves: the options (a challenge kept for the session)
 * and the check of the browser's answer, which spends the challenge.
 */
import { and, asc, count, eq, inArray, isNull } from "drizzle-orm";
import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import type { Db, Executor } from "@/db/connection";
import { passkeys, sessions, signInPolicy, staff, users } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import {
  awaitPasskeyInsteadOfEnrolling,
  clearSecondFactor,
  passkeyCountOf,
  type RenewedSession,
  passkeysRequired,
  releaseSessionsWaitingToEnrol,
  storeChallenge,
  takeChallenge,
} from "@/lib/auth/second-factor";
import { sessionHandle, storedSessionToken } from "@/lib/auth/sessions";
import {
  authenticationOptions,
  checkAuthentication,
  checkRegistration,
  counterMovesOn,
  NOT_ACCEPTED,
  registrationOptions,
  type RelyingParty,
  type StoredCredential,
} from "@/lib/auth/webauthn";
import { formatInstant } from "@/lib/calendar/format";
import { countOf } from "@/lib/language/plural";
import { enqueueMail } from "@/lib/mail/outbox";
import { passkeysResetMail } from "@/lib/mail/emails/passkeys-reset";
import type { PortalContext } from "@/lib/settings/portal-context";
import { recordStaffEvent } from "./staff-record";

/** More than enough for a laptop, a phone and a spare key or two. */
export const MOST_PASSKEYS = 10;

export const PASSKEY_KIND = "passkeys-reset";

export type Outcome = { ok: true; message: string } | { ok: false; message: string };

/** The outcome of a ceremony: a session that was waiting for it goes on under a new token, which the browser's cookie must then carry. */
export type CeremonyResult = { ok: true; message: string; renewed: RenewedSession | null } | { ok: false; message: string };

export type PasskeyView = { id: number; name: string; createdAt: Date; lastUsedAt: Date | null };

const EXPIRED = "That took too long, or the page was opened twice. Please try again.";

function staffIdOf(tx: Executor, email: string): number | null {
  return tx.select({ id: staff.id }).from(staff).where(eq(staff.email, email)).get()?.id ?? null;
}

function credentialsOf(tx: Executor, email: string): Array<StoredCredential & { id: number; name: string }> {
  return tx
    .select({ id: passkeys.id, name: passkeys.name, credentialId: passkeys.credentialId, publicKey: passkeys.publicKey, counter: passkeys.counter, transports: passkeys.transports })
    .from(passkeys)
    .innerJoin(staff, eq(staff.id, passkeys.staffId))
    .where(eq(staff.email, email))
    .orderBy(asc(passkeys.id))
    .all();
}

export function listPasskeys(db: Executor, email: string): PasskeyView[] {
  return db
    .select({ id: passkeys.id, name: passkeys.name, createdAt: passkeys.createdAt, lastUsedAt: passkeys.lastUsedAt })
    .from(passkeys)
    .innerJoin(staff, eq(staff.id, passkeys.staffId))
    .where(eq(staff.email, email))
    .orderBy(asc(passkeys.id))
    .all();
}

/** How many passkeys each staff member has, for the team page. */
export function passkeyCounts(db: Executor): Map<string, number> {
  const rows = db.select({ email: staff.email, n: count(passkeys.id) }).from(staff).leftJoin(passkeys, eq(passkeys.staffId, staff.id)).groupBy(staff.email).all();
  return new Map(rows.map((r) => [r.email, r.n]));
}

// -- Adding a passkey -------------------------------------------------------

/** The first half of adding a passkey: the options for the browser, with a challenge kept for this session. */
export async function beginRegistration(
  db: Db,
  input: { email: string; sessionToken: string; rp: RelyingParty; now: Date },
): Promise<{ ok: true; options: PublicKeyCredentialCreationOptionsJSON } | { ok: false; message: string }> {
  const existing = credentialsOf(db, input.email);
  if (existing.length >= MOST_PASSKEYS) return { ok: false, message: `You have ${MOST_PASSKEYS} passkeys, the most one account can hold. Remove one you no longer use first.` };
  // The account's own random id, the same every time: a device keeps one passkey per account, replacing it when it is
  // made again, instead of one per try.
  const owner = db.select({ userId: sessions.userId }).from(sessions).where(eq(sessions.sessionToken, storedSessionToken(input.sessionToken))).get();
  if (!owner) return { ok: false, message: "Your session has ended. Please sign in again." };
  const options = await registrationOptions(input.rp, { email: input.email, userHandle: owner.userId, existing });
  inTransaction(db, (tx) => storeChallenge(tx, { sessionHandle: sessionHandle(input.sessionToken), purpose: "register", challenge: options.challenge, now: input.now }));
  return { ok: true, options };
}

/**
 * The second half: the browser's answer is checked against the challenge
 * (spent either way) and the passkey stored under the name given. A session
 * that had to add a passkey before reaching the dashboard now may.
 */
export async function finishRegistration(
  db: Db,
  input: { email: string; sessionToken: string; rp: RelyingParty; response: RegistrationResponseJSON; name: string; now: Date },
): Promise<CeremonyResult> {
  const handle = sessionHandle(input.sessionToken);
  const challenge = inTransaction(db, (tx) => takeChallenge(tx, { sessionHandle: handle, purpose: "register", now: input.now }));
  if (!challenge) return { ok: false, message: EXPIRED };
  const checked = await checkRegistration(input.rp, { response: input.response, challenge });
  if (!checked.ok) return checked;
  const credential = checked.value;
  return inTransaction(db, (tx): CeremonyResult => {
    const staffId = staffIdOf(tx, input.email);
    if (staffId === null) return { ok: false, message: "You are no longer on the staff list." };
    if (credentialsOf(tx, input.email).length >= MOST_PASSKEYS) return { ok: false, message: `You already have ${MOST_PASSKEYS} passkeys.` };
    if (tx.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.credentialId, credential.credentialId)).get()) {
      return { ok: false, message: "That passkey is already registered." };
    }
    tx.insert(passkeys)
      .values({ staffId, credentialId: credential.credentialId, publicKey: credential.publicKey, counter: credential.counter, transports: credential.transports, name: input.name, createdAt: input.now })
      .run();
    recordStaffEvent(tx, { at: input.now, by: input.email, subject: input.email, kind: "passkey_added", note: `"${input.name}".` });
    // Their other sessions still waiting to add a first passkey now have one to use instead, as a new sign-in would.
    awaitPasskeyInsteadOfEnrolling(tx, input.email);
    const cleared = clearSecondFactor(tx, input.sessionToken);
    return {
      ok: true,
      message: `Passkey "${input.name}" added. From now on, signing in asks for a passkey after the emailed link.`,
      renewed: cleared?.renewed ?? null,
    };
  });
}

// -- Signing in with a passkey ----------------------------------------------

/** The first half of the second factor: options naming the member's passkeys, with a challenge kept for this session. */
export async function beginAuthentication(
  db: Db,
  input: { email: string; sessionToken: string; rp: RelyingParty; now: Date },
): Promise<{ ok: true; options: PublicKeyCredentialRequestOptionsJSON } | { ok: false; message: string }> {
  const credentials = credentialsOf(db, input.email);
  if (credentials.length === 0) return { ok: false, message: "Your account has no passkey any more. Please sign in again." };
  const options = await authenticationOptions(input.rp, credentials);
  inTransaction(db, (tx) => storeChallenge(tx, { sessionHandle: sessionHandle(input.sessionToken), purpose: "authenticate", challenge: options.challenge, now: input.now }));
  return { ok: true, options };
}

/**
 * Why an answer came from a passkey that is not among the member's own now.
 * The browser offers only the passkeys named when sign-in began, so one that
 * is no longer anyone's was removed meanwhile (by the member elsewhere, or
 * an admin's reset): saying "not one of yours" would send them looking for
 * another account's key.
 */
function unknownPasskeyMessage(db: Db, email: string, credentialId: string): string {
  if (credentialsOf(db, email).length === 0) return "Your account has no passkey any more: it was removed while you were signing in. Please sign in again.";
  const someoneElses = db.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.credentialId, credentialId)).get();
  if (someoneElses) return "That passkey is not one of yours. Use a passkey you added to this account.";
  return "That passkey was removed from your account while you were signing in. Use another of your passkeys.";
}

/**
 * The second half: the answer must come from one of the member's own
 * passkeys and fit the challenge (spent either way); its counter must move
 * on, where it keeps one. Then the session may reach the dashboard.
 */
export async function finishAuthentication(
  db: Db,
  input: { email: string; sessionToken: string; rp: RelyingParty; response: AuthenticationResponseJSON; now: Date },
): Promise<CeremonyResult> {
  const handle = sessionHandle(input.sessionToken);
  const challenge = inTransaction(db, (tx) => takeChallenge(tx, { sessionHandle: handle, purpose: "authenticate", now: input.now }));
  if (!challenge) return { ok: false, message: EXPIRED };
  // Only the member's own passkeys count: another staff member's answers nothing here.
  const credential = credentialsOf(db, input.email).find((c) => c.credentialId === input.response.id);
  if (!credential) return { ok: false, message: unknownPasskeyMessage(db, input.email, input.response.id) };
  const checked = await checkAuthentication(input.rp, { response: input.response, challenge, credential });
  if (!checked.ok) return checked;
  return inTransaction(db, (tx): CeremonyResult => {
    const current = tx.select({ counter: passkeys.counter }).from(passkeys).where(eq(passkeys.id, credential.id)).get();
    if (!current) return { ok: false, message: "That passkey was removed meanwhile. Please sign in again." };
    // Checked again against the counter as it stands now: an answer checked at the same time (a copied key
    // answering beside the real one) may have moved it on since it was read, and it never goes back.
    if (!counterMovesOn(current.counter, checked.value.newCounter)) return { ok: false, message: NOT_ACCEPTED };
    tx.update(passkeys).set({ counter: checked.value.newCounter, lastUsedAt: input.now }).where(eq(passkeys.id, credential.id)).run();
    const cleared = clearSecondFactor(tx, input.sessionToken);
    if (!cleared) return { ok: false, message: "Your session has ended. Please sign in again." };
    return { ok: true, message: "Thank you: you are signed in.", renewed: cleared.renewed };
  });
}

// -- Removing and resetting ---------------------------------------------------

/** A member removes one of their own passkeys; under the rule, never their last. */
export function removeOwnPasskey(db: Db, input: { email: string; id: number; now: Date }): Outcome {
  return inTransaction(db, (tx): Outcome => {
    const own = credentialsOf(tx, input.email).find((c) => c.id === input.id);
    if (!own) return { ok: false, message: "That passkey has already been removed." };
    if (passkeysRequired(tx) && passkeyCountOf(tx, input.email) === 1) {
      return { ok: false, message: "Your organisation requires a passkey: add another before removing your last one." };
    }
    tx.delete(passkeys).where(eq(passkeys.id, own.id)).run();
    recordStaffEvent(tx, { at: input.now, by: input.email, subject: input.email, kind: "passkey_removed", note: `"${own.name}".` });
    const left = passkeyCountOf(tx, input.email);
    return { ok: true, message: `Passkey "${own.name}" removed.${left === 0 ? " Signing in now needs the emailed link alone." : ""}` };
  });
}

function endSessionsOf(tx: Executor, email: string): void {
  const user = tx.select({ id: users.id }).from(users).where(eq(users.email, email)).get();
  if (user) tx.delete(sessions).where(eq(sessions.userId, user.id)).run();
}

/**
 * An admin removes every passkey of another staff member (one who lost
 * theirs): their sessions end, it goes on the record, and they are emailed.
 * Nobody resets their own: recovery without a passkey needs another admin
 * (or, for the last admin, the command line on the server).
 */
export function resetPasskeys(db: Db, input: { by: string | null; email: string; now: Date; ctx: PortalContext }): Outcome {
  if (input.by === input.email) {
    return { ok: false, message: "You cannot reset your own passkeys: another admin must do it, so that losing a mailbox is not enough to take over an account." };
  }
  return inTransaction(db, (tx): Outcome => {
    const staffId = staffIdOf(tx, input.email);
    if (staffId === null) return { ok: false, message: `${input.email} is not on the staff list.` };
    const removed = tx.delete(passkeys).where(eq(passkeys.staffId, staffId)).run().changes;
    if (removed === 0) return { ok: false, message: `${input.email} has no passkey to reset.` };
    endSessionsOf(tx, input.email);
    recordStaffEvent(tx, { at: input.now, by: input.by, subject: input.email, kind: "passkeys_reset", note: `${countOf(removed, "passkey")} removed; every session ended; the member was emailed.` });
    const { ctx } = input;
    enqueueMail(
      tx,
      {
        ...passkeysResetMail.draft({
          orgName: ctx.orgName,
          resetBy: input.by ?? "An administrator on the server",
          when: formatInstant(input.now, ctx.timeZone),
          passkeysRequired: passkeysRequired(tx),
          signInUrl: `${ctx.appUrl}/signin`,
        }),
        to: input.email,
        kind: PASSKEY_KIND,
      },
      { now: input.now, appUrl: ctx.appUrl },
    );
    return { ok: true, message: `Removed ${countOf(removed, "passkey")} of ${input.email} and ended their sessions. They have been emailed.` };
  });
}

// -- The rule for all staff ---------------------------------------------------

export type PasskeyPolicy = { passkeysRequired: boolean; updatedAt: Date | null; updatedBy: string | null };

export function loadPasskeyPolicy(db: Executor): PasskeyPolicy {
  const row = db.select().from(signInPolicy).get();
  return row ? { passkeysRequired: row.passkeysRequired, updatedAt: row.updatedAt, updatedBy: row.updatedBy } : { passkeysRequired: false, updatedAt: null, updatedBy: null };
}

/**
 * An admin requires passkeys of every staff member, or stops requiring
 * them. Requiring them needs a passkey of one's own (or the admin would lock
 * themselves out), and those signed in now without one must add one before
 * their next staff page.
 */
export function savePasskeyPolicy(db: Db, input: { by: string; required: boolean; now: Date }): Outcome {
  return inTransaction(db, (tx): Outcome => {
    const before = passkeysRequired(tx);
    if (before === input.required) return { ok: true, message: input.required ? "Passkeys were already required." : "Passkeys were already each member's choice." };
    if (input.required && passkeyCountOf(tx, input.by) === 0) {
      return { ok: false, message: "Add a passkey to your own account first (Your account), so that requiring them cannot lock you out." };
    }
    const values = { passkeysRequired: input.required, updatedAt: input.now, updatedBy: input.by };
    tx.insert(signInPolicy).values({ id: 1, ...values }).onConflictDoUpdate({ target: signInPolicy.id, set: values }).run();
    let waiting = 0;
    if (input.required) {
      const without = tx
        .select({ userId: users.id })
        .from(staff)
        .innerJoin(users, eq(users.email, staff.email))
        .leftJoin(passkeys, eq(passkeys.staffId, staff.id))
        .where(isNull(passkeys.id))
        .all()
        .map((r) => r.userId);
      if (without.length > 0) {
        waiting = tx.update(sessions).set({ secondFactor: "enrol" }).where(and(inArray(sessions.userId, without), isNull(sessions.secondFactor))).run().changes;
      }
    } else {
      // No longer required: a member signed in who was told to add a passkey first need not.
      releaseSessionsWaitingToEnrol(tx);
    }
    recordStaffEvent(tx, {
      at: input.now,
      by: input.by,
      subject: input.by,
      kind: "passkey_policy_changed",
      note: input.required ? "Every staff member must now use a passkey after the emailed link." : "Passkeys are now each member's choice.",
    });
    return {
      ok: true,
      message: input.required
        ? `Passkeys are now required of every staff member.${waiting > 0 ? ` ${countOf(waiting, "session")} of staff without one must add one before going on.` : ""}`
        : "Passkeys are now each member's choice.",
    };
  });
}
