/**
 * Writes supporter records straight into the test server's database, as an
 * import would: one supporter with a row of every kind, under a unique address.
 */
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { inRawTransaction } from "../../db/transaction";
import { harnessEnv } from "./env";

export type SeededRecords = { supporterId: number; donationIds: number[] };

export function seedSupporterRecords(input: {
  email: string;
  name?: string;
  postalAddress?: string;
  phone?: string;
  lists?: string[];
  donations?: number;
}): SeededRecords {
  const db = new Database(harnessEnv("E2E_DB_PATH"), { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    const at = Date.now() - 30 * 24 * 60 * 60 * 1000;
    const key = () => `e2e-${randomUUID()}`;
    return inRawTransaction(db, () => {
      const supporterId = Number(
        db
          .prepare(`insert into supporters (external_id, email, name, postal_address, phone, source, created_at, updated_at) values (?, ?, ?, ?, ?, 'e2e', ?, ?)`)
          .run(key(), input.email, input.name ?? "Ada Example", input.postalAddress ?? "1 Old Street\nTown", input.phone ?? "+44 20 7946 0000", at, at).lastInsertRowid,
      );
      const donationIds: number[] = [];
      for (let i = 0; i < (input.donations ?? 1); i++) {
        donationIds.push(
          Number(
            db
              .prepare(`insert into donations (external_id, supporter_id, amount_minor, currency, donated_on, method, card_last4) values (?, ?, ?, 'GBP', '2026-01-15', 'card', '4242')`)
              .run(key(), supporterId, 2500 + i).lastInsertRowid,
          ),
        );
      }
      db.prepare(`insert into memberships (external_id, supporter_id, plan, started_on, status) values (?, ?, 'annual', '2025-01-01', 'active')`).run(key(), supporterId);
      for (const list of input.lists ?? ["newsletter", "alerts"]) {
        db.prepare(`insert into subscriptions (external_id, supporter_id, list, subscribed_at) values (?, ?, ?, ?)`).run(key(), supporterId, list, at);
        // As an import does: the organisation now offers the list.
        db.prepare(`insert or ignore into mailing_lists (name, created_at, updated_at) values (?, ?, ?)`).run(list, at, at);
      }
      db.prepare(`insert into petition_signatures (external_id, supporter_id, petition, signed_at, comment) values (?, ?, 'Save the river', ?, ?)`).run(key(), supporterId, at, `Signed as ${input.email}`);
      db.prepare(`insert into correspondence (external_id, supporter_id, at, direction, channel, subject, body) values (?, ?, ?, 'in', 'email', 'Hello', ?)`).run(key(), supporterId, at, `A letter from ${input.email}`);
      db.prepare(`insert into web_visits (external_id, supporter_id, at, ip_address, user_agent, page, referrer) values (?, ?, ?, '203.0.113.7', 'Firefox', '/donate', null)`).run(key(), supporterId, at);
      return { supporterId, donationIds };
    });
  } finally {
    db.close();
  }
}
