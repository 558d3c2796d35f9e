/**
 * The statements an import runs for every row, prepared once per connection
 * (updates, which only changed rows need, are built as they come).
 * A large file runs hundreds of thousands of them inside one transaction that
 * holds the database's write lock, so each must cost as little as it can:
 * building a query's SQL anew for every row cost more than running it.
 */
import { and, eq, ne, sql } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { preparedOnce } from "@/db/prepared";
import { correspondence, donations, memberships, petitionSignatures, subscriptions, supporterCorrections, supporters, suppressions, webVisits } from "@/db/schema";

const p = sql.placeholder;
// A placeholder for a timestamp column is turned into milliseconds by the column, which cannot take a null:
// a nullable one is handed in as milliseconds (or null) already, named ...Ms.

function build(db: Db) {
  return {
    suppressed: db.select({ id: suppressions.id }).from(suppressions).where(eq(suppressions.emailHash, p("hash"))).prepare(),
    supporter: {
      find: db.select().from(supporters).where(eq(supporters.externalId, p("externalId"))).prepare(),
      insert: db
        .insert(supporters)
        .values({
          externalId: p("externalId"),
          email: p("email"),
          name: p("name"),
          postalAddress: p("postalAddress"),
          phone: p("phone"),
          source: p("source"),
          createdAt: p("now"),
          updatedAt: p("now"),
        })
        .returning({ id: supporters.id })
        .prepare(),
      emailOf: db.select({ email: supporters.email }).from(supporters).where(eq(supporters.id, p("id"))).prepare(),
      corrections: db.select().from(supporterCorrections).where(eq(supporterCorrections.supporterId, p("supporterId"))).prepare(),
      dropCorrection: db.delete(supporterCorrections).where(eq(supporterCorrections.id, p("id"))).prepare(),
    },
    donation: {
      find: db.select().from(donations).where(eq(donations.externalId, p("externalId"))).prepare(),
      insert: db
        .insert(donations)
        .values({
          externalId: p("externalId"),
          supporterId: p("supporterId"),
          amountMinor: p("amountMinor"),
          currency: p("currency"),
          donatedOn: p("donatedOn"),
          method: p("method"),
          cardLast4: p("cardLast4"),
        })
        .prepare(),
    },
    membership: {
      find: db.select().from(memberships).where(eq(memberships.externalId, p("externalId"))).prepare(),
      insert: db
        .insert(memberships)
        .values({ externalId: p("externalId"), supporterId: p("supporterId"), plan: p("plan"), startedOn: p("startedOn"), endsOn: p("endsOn"), status: p("status") })
        .prepare(),
    },
    subscription: {
      find: db.select().from(subscriptions).where(eq(subscriptions.externalId, p("externalId"))).prepare(),
      clash: db
        .select({ externalId: subscriptions.externalId })
        .from(subscriptions)
        .where(and(eq(subscriptions.supporterId, p("supporterId")), eq(subscriptions.list, p("list")), ne(subscriptions.externalId, p("externalId"))))
        .prepare(),
      insert: db
        .insert(subscriptions)
        .values({ externalId: p("externalId"), supporterId: p("supporterId"), list: p("list"), subscribedAt: p("subscribedAt"), unsubscribedAt: sql`${p("unsubscribedAtMs")}` })
        .prepare(),
    },
    petition_signature: {
      find: db.select().from(petitionSignatures).where(eq(petitionSignatures.externalId, p("externalId"))).prepare(),
      insert: db
        .insert(petitionSignatures)
        .values({ externalId: p("externalId"), supporterId: p("supporterId"), petition: p("petition"), signedAt: p("signedAt"), comment: p("comment") })
        .prepare(),
    },
    correspondence: {
      find: db.select().from(correspondence).where(eq(correspondence.externalId, p("externalId"))).prepare(),
      insert: db
        .insert(correspondence)
        .values({
          externalId: p("externalId"),
          supporterId: p("supporterId"),
          at: p("at"),
          direction: p("direction"),
          channel: p("channel"),
          subject: p("subject"),
          body: p("body"),
        })
        .prepare(),
    },
    web_visit: {
      find: db.select().from(webVisits).where(eq(webVisits.externalId, p("externalId"))).prepare(),
      insert: db
        .insert(webVisits)
        .values({
          externalId: p("externalId"),
          supporterId: p("supporterId"),
          at: p("at"),
          ipAddress: p("ipAddress"),
          userAgent: p("userAgent"),
          page: p("page"),
          referrer: p("referrer"),
        })
        .prepare(),
    },
  };
}

export type ImportStatements = ReturnType<typeof build>;

export function importStatements(db: Db): ImportStatements {
  return preparedOnce(db, "import-statements", build);
}
