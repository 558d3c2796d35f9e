/**
 * Who the bench signs in as, made the way sign-in and the request form make
 * them, straight in the database: the staff team with one signed-in member,
 * a supporter signed in to look at their own request, and people who have
 * each filled in the form, signed in, and only have the button that
 * confirms it left to press.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import { inRawTransaction } from "@/db/transaction";
import { hashApiKey, newApiKey } from "@/lib/api/keys";
import { storedSessionToken } from "@/lib/auth/sessions";
import { DRAFT_LIFETIME_MS } from "@/lib/requests/intake/create-draft";
import { SEED_TEAM } from "./seed-requests";

const SESSION_MS = 12 * 3_600_000;

export type SignedIn = { email: string; sessionToken: string };
export type PendingDraft = SignedIn & { draftKey: string };

function signIn(sqlite: Database.Database, email: string, now: number): SignedIn {
  const userId = randomUUID();
  sqlite.prepare("insert into users (id, email, emailVerified) values (?, ?, ?)").run(userId, email, now);
  const sessionToken = randomUUID();
  // Kept hashed, as sign-in keeps it; the bench's requests carry the token itself as their cookie.
  sqlite.prepare("insert into sessions (sessionToken, userId, expires) values (?, ?, ?)").run(storedSessionToken(sessionToken), userId, now + SESSION_MS);
  return { email, sessionToken };
}

/** The team, everyone a reviewer but the lead; the lead is signed in. */
export function seedStaff(sqlite: Database.Database, now: number): SignedIn {
  const insert = sqlite.prepare("insert into staff (email, role, added_at) values (?, ?, ?)");
  inRawTransaction(sqlite, () => SEED_TEAM.forEach((email, i) => insert.run(email, i === 0 ? "admin" : "reviewer", now)));
  return signIn(sqlite, SEED_TEAM[0]!, now);
}

export type OwnRequest = SignedIn & { reference: string };

/** A supporter whose request went through a question and an answer, signed in to look at it. */
export function seedSupporterViewer(sqlite: Database.Database, now: number): OwnRequest {
  const row = sqlite
    .prepare(
      `select r.reference, r.subject_email as email
       from requests r where r.status = 'completed' and r.days_clock_stopped > 0 order by r.received_at desc limit 1`,
    )
    .get() as { reference: string; email: string } | undefined;
  if (!row) throw new Error("The seeded requests hold no completed request with a question and an answer.");
  return { ...signIn(sqlite, row.email, now), reference: row.reference };
}

/** `count` people, each signed in with a draft waiting, as if they had just opened its confirm page. */
export function seedPendingDrafts(sqlite: Database.Database, input: { count: number; now: number }): PendingDraft[] {
  const insert = sqlite.prepare(
    "insert into request_drafts (key, type, email, name, details, created_at, expires_at) values (?, 'concern', ?, ?, ?, ?, ?)",
  );
  const details = JSON.stringify({ type: "concern", message: "Why did I get a letter after I asked you to stop writing to me?" });
  return inRawTransaction(sqlite, () =>
    Array.from({ length: input.count }, (_, i) => {
      const email = `filer${i + 1}@bench.example.org`;
      // The key as create-draft makes it: random, carried in the link, never the row id.
      const draftKey = randomBytes(18).toString("base64url");
      insert.run(draftKey, email, `Filer ${i + 1}`, details, input.now, input.now + DRAFT_LIFETIME_MS);
      return { ...signIn(sqlite, email, input.now), draftKey };
    }),
  );
}

/** An API key that may read requests, made as the admin page makes one, with a rate the bench cannot reach. */
export function seedApiKey(sqlite: Database.Database, now: number): string {
  const key = newApiKey();
  sqlite
    .prepare("insert into api_keys (name, secret_hash, hint, scopes, rate_per_minute, created_at, created_by) values (?, ?, ?, ?, ?, ?, ?)")
    .run("Bench", hashApiKey(key), key.slice(0, 10), JSON.stringify(["read_requests"]), 100_000_000, now, SEED_TEAM[0]!);
  return key;
}
