/**
 * Writes requests straight into the test server's database, for views that
 * need more rows, or older ones, than filing through the form could make in
 * a test's time: long lists to page through, deadlines already passed.
 */
import { randomInt } from "node:crypto";
import Database from "better-sqlite3";
import { inRawTransaction } from "../../db/transaction";
import { harnessEnv } from "./env";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export type SeedRequest = {
  email: string;
  type?: "access" | "correction" | "erasure" | "unsubscribe" | "concern";
  status?: "received" | "in_review" | "awaiting_supporter" | "approved" | "completed" | "denied" | "canceled";
  /** When the request was received; the calendar days are taken in UTC, as the suite's server runs in UTC. */
  receivedAt: Date;
  dueOn: string;
  assigneeEmail?: string | null;
};

function randomReference(): string {
  let chars = "";
  for (let i = 0; i < 8; i++) chars += ALPHABET[randomInt(ALPHABET.length)];
  return `RD-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** Inserts the requests in one transaction and returns their references, in the order given. */
export function seedRequests(rows: SeedRequest[]): string[] {
  const db = new Database(harnessEnv("E2E_DB_PATH"), { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    const insert = db.prepare(
      `insert into requests (reference, type, status, subject_email, details, regime, received_at, received_on, due_on, assignee_email, updated_at)
       values (?, ?, ?, ?, '{}', 'gdpr', ?, ?, ?, ?, ?)`,
    );
    return inRawTransaction(db, () =>
      rows.map((row) => {
        const reference = randomReference();
        const at = row.receivedAt.getTime();
        insert.run(reference, row.type ?? "access", row.status ?? "received", row.email, at, row.receivedAt.toISOString().slice(0, 10), row.dueOn, row.assigneeEmail ?? null, at);
        return reference;
      }),
    );
  } finally {
    db.close();
  }
}
