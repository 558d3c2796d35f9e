/**
 * Writes that arrive together commit together. When several people confirm
 * their requests at the same moment, each confirmation's write waits for the
 * end of the server's current turn, and the writes that arrived in that turn
 * then run one after another in a single transaction, each inside a
 * savepoint of its own: a write that throws is undone alone and only its
 * caller is told, the others commit. Nobody is answered before the commit
 * that holds their write; when the commit itself fails, every write in it
 * is refused and nothing of them is kept.
 *
 * One commit instead of several writes the pages the writes share once (the
 * last page of each index kept in order of arrival, the outbox's, the
 * record's) and begins and ends one transaction. A write alone in its turn,
 * as nearly every write is on a quiet day, goes the same way and so commits
 * by itself: one savepoint more, and the end of the turn waited for.
 */
import type { Db, Tx } from "./connection";
import { inTransaction } from "./transaction";

type Waiting = { write: (tx: Tx) => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void };

/** The writes waiting for the end of this turn, by connection. */
const waitingByConnection = new WeakMap<Db, Waiting[]>();

/** Runs `write` in a transaction shared with the other writes that arrive in the same turn; resolves with what it returned once that transaction has committed. */
export function inSharedTransaction<T>(db: Db, write: (tx: Tx) => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let waiting = waitingByConnection.get(db);
    if (!waiting) {
      const turn: Waiting[] = [];
      waiting = turn;
      waitingByConnection.set(db, turn);
      setImmediate(() => {
        waitingByConnection.delete(db);
        commitTogether(db, turn);
      });
    }
    waiting.push({ write, resolve: resolve as (value: unknown) => void, reject });
  });
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

function commitTogether(db: Db, waiting: Waiting[]): void {
  let outcomes: Outcome[];
  try {
    outcomes = inTransaction(db, () => waiting.map(({ write }) => apart(db, write)));
  } catch (error) {
    // The transaction did not commit: nothing of it is kept.
    for (const { reject } of waiting) reject(error);
    return;
  }
  waiting.forEach(({ resolve, reject }, i) => {
    const outcome = outcomes[i]!;
    if (outcome.ok) resolve(outcome.value);
    else reject(outcome.error);
  });
}

/**
 * One write of a shared transaction: `inTransaction` inside the open one takes a savepoint (better-sqlite3's
 * transactions nest that way), so a write that throws is undone alone. When SQLite has already undone the whole
 * transaction itself (a full disk, say), there is nothing left to share: the transaction fails whole, before any
 * later write could run outside it.
 */
function apart(db: Db, write: (tx: Tx) => unknown): Outcome {
  try {
    return { ok: true, value: inTransaction(db, write) };
  } catch (error) {
    if (!db.$client.inTransaction) throw error;
    return { ok: false, error };
  }
}
