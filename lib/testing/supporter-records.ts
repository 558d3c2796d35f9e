/**
 * Test helper: one supporter with a row of every kind of record, written
 * straight into a test database. Only tests import this.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "@/db/connection";
import { correspondence, donations, memberships, petitionSignatures, subscriptions, supporters, webVisits } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { noteLists } from "@/lib/consent/lists";

export type SeededSupporter = { supporterId: number; donationIds: number[] };

export function seedSupporter(
  db: Db,
  input: { email: string; name?: string; donations?: number; lists?: string[]; at?: Date },
): SeededSupporter {
  const at = input.at ?? new Date("2026-01-10T12:00:00Z");
  const key = () => randomUUID();
  return inTransaction(db, (tx) => {
    const { id: supporterId } = tx
      .insert(supporters)
      .values({
        externalId: key(),
        email: input.email,
        name: input.name ?? "Ada Example",
        postalAddress: "1 Old Street\nTown",
        phone: "+44 20 7946 0000",
        source: "test",
        createdAt: at,
        updatedAt: at,
      })
      .returning({ id: supporters.id })
      .get();
    const donationIds: number[] = [];
    for (let i = 0; i < (input.donations ?? 1); i++) {
      donationIds.push(
        tx
          .insert(donations)
          .values({ externalId: key(), supporterId, amountMinor: 2500 + i, currency: "GBP", donatedOn: "2025-12-0" + ((i % 9) + 1), method: "card", cardLast4: "4242" })
          .returning({ id: donations.id })
          .get().id,
      );
    }
    tx.insert(memberships).values({ externalId: key(), supporterId, plan: "annual", startedOn: "2025-01-01", status: "active" }).run();
    const lists = input.lists ?? ["newsletter", "alerts"];
    for (const list of lists) {
      tx.insert(subscriptions).values({ externalId: key(), supporterId, list, subscribedAt: at }).run();
    }
    // As an import does: the organisation now has these lists.
    noteLists(tx, lists, at);
    tx.insert(petitionSignatures).values({ externalId: key(), supporterId, petition: "Save the river", signedAt: at, comment: `Signed by ${input.email}` }).run();
    tx.insert(correspondence).values({ externalId: key(), supporterId, at, direction: "in", channel: "email", subject: "Hello", body: `From ${input.email}` }).run();
    tx.insert(webVisits).values({ externalId: key(), supporterId, at, ipAddress: "203.0.113.7", userAgent: "Firefox", page: "/donate", referrer: null }).run();
    return { supporterId, donationIds };
  });
}
