/**
 * The statements an import runs for every row, prepared once per connection
 * (updates, which only changed rows need, are built as they come): the
 * lookups of what is stored, and the insert of a new subscription.
 * A large file runs hundreds of thousands of them inside one transaction that
 * holds the database's write lock, so each must cost as little as it can:
 * building a query's SQL anew for every row cost more than running it.
 */
import { and, eq, getTableName, ne, sql } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { preparedOnce } from "@/db/prepared";
import { correspondence, donations, memberships, petitionSignatures, subscriptions, supporterCorrections, supporters, webVisits } from "@/db/schema";

const p = sql.placeholder;

function build(db: Db) {
  return {
    supporter: {
      find: db.select().from(supporters).where(eq(supporters.externalId, p("externalId"))).prepare(),
      emailOf: db.select({ email: supporters.email }).from(supporters).where(eq(supporters.id, p("id"))).prepare(),
      corrections: db.select().from(supporterCorrections).where(eq(supporterCorrections.supporterId, p("supporterId"))).prepare(),
      dropCorrection: db.delete(supporterCorrections).where(eq(supporterCorrections.id, p("id"))).prepare(),
    },
    donation: {
      find: db.select().from(donations).where(eq(donations.externalId, p("externalId"))).prepare(),
    },
    membership: {
      find: db.select().from(memberships).where(eq(memberships.externalId, p("externalId"))).prepare(),
    },
    subscription: {
      find: db.select().from(subscriptions).where(eq(subscriptions.externalId, p("externalId"))).prepare(),
      clash: db
        .select({ externalId: subscriptions.externalId })
        .from(subscriptions)
        .where(and(eq(subscriptions.supporterId, p("supporterId")), eq(subscriptions.list, p("list")), ne(subscriptions.externalId, p("externalId"))))
        .prepare(),
    },
    petition_signature: {
      find: db.select().from(petitionSignatures).where(eq(petitionSignatures.externalId, p("externalId"))).prepare(),
    },
    correspondence: {
      find: db.select().from(correspondence).where(eq(correspondence.externalId, p("externalId"))).prepare(),
    },
    web_visit: {
      find: db.select().from(webVisits).where(eq(webVisits.externalId, p("externalId"))).prepare(),
    },
  };
}

/**
 * The insert of a new subscription, its values in the order of its columns
 * (times as milliseconds): a plain SQLite statement with positional values,
 * which skips the query builder's mapping of every value by name. (The
 * other kinds' new records are written all at once, by SQL from the
 * import's scratch file.)
 */
function buildInsertSubscription(db: Db) {
  const columns = [subscriptions.externalId, subscriptions.supporterId, subscriptions.list, subscriptions.subscribedAt, subscriptions.unsubscribedAt];
  const statement = db.$client.prepare(
    `insert into "${getTableName(subscriptions)}" (${columns.map((c) => `"${c.name}"`).join(", ")}) values (${columns.map(() => "?").join(", ")})`,
  );
  return (values: unknown[]): void => {
    statement.run(values);
  };
}

export type ImportStatements = ReturnType<typeof build> & { insertSubscription: ReturnType<typeof buildInsertSubscription> };

export function importStatements(db: Db): ImportStatements {
  return preparedOnce(db, "import-statements", (d) => ({ ...build(d), insertSubscription: buildInsertSubscription(d) }));
}
