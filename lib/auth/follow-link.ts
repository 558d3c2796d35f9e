/**
 * What pressing the button on the link page does (the link itself, opened
 * by a person or a mail scanner, changes nothing): the token is spent, the
 * address signed in, and whatever the link was for (confirming a draft) done,
 * all in one transaction, so a failure leaves the link unspent.
 */
import type { Db, Tx } from "@/db/connection";
import { inTransaction } from "@/db/transaction";
import { explainFailedLink, hashVerificationToken, spendSignInToken, type FailedLink } from "./sign-in-link";
import { secondFactorFor } from "./second-factor";
import { startSession, type StartedSession } from "./sessions";

export type FollowedLink<T> = { ok: true; email: string; session: StartedSession; then: T } | { ok: false; why: FailedLink };

export function followSignInLink<T>(
  db: Db,
  input: { email: string; token: string; now: Date; secret: string; replacingSession: string | null; device?: string | null },
  then: (tx: Tx, email: string) => T,
): FollowedLink<T> {
  const tokenHash = hashVerificationToken(input.token, input.secret);
  return inTransaction(db, (tx): FollowedLink<T> => {
    const spent = spendSignInToken(tx, { identifier: input.email, tokenHash, now: input.now });
    if (!spent) return { ok: false, why: explainFailedLink(tx, { tokenHash, now: input.now }) };
    // A staff member with a passkey (or who must add one) is signed in only as far as the link goes: the session waits for it.
    const session = startSession(tx, {
      email: spent.identifier,
      now: input.now,
      replacing: input.replacingSession,
      device: input.device ?? null,
      secondFactor: secondFactorFor(tx, spent.identifier),
    });
    return { ok: true, email: spent.identifier, session, then: then(tx, spent.identifier) };
  });
}
