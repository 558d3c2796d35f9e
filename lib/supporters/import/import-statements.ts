/**
 * The statements an import runs for every row, prepared once per connection
 * (updates, which only changed rows need, are built as they come): the
 * lookups of what is stored, and the inserts of new records.
 * A large file runs hundreds of thousands of them inside one transaction that
 * holds the database's write lock, so each must cost as little as it can:
 * building a query's SQL anew for every row cost more than running it.
 */
import { and, eq, getTableName, ne, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "@/db/connection";
import { preparedOnce } from "@/db/prepared";
import { correspondence, donations, memberships, petitionSignatures, subscriptions, supporterCorrections, supporters, suppressions, webVisits } from "@/db/schema";

const p = sql.placeholder;

function build(db: Db) {
  return {
    suppressed: db.select({ id: suppressions.id }).from(suppressions).where(eq(suppressions.emailHash, p("hash"))).prepare(),
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
 * An insert of a record that is new to the database, its values in the
 * order of `columns`: nothing happens when a row with its external id is
 * stored already (the caller then finds it and compares). A new record, the
 * common case of a large file, costs one statement and no lookup before it,
 * and plain SQLite statements with positional values skip the query
 * builder's mapping of every value by name.
 */
export type InsertNew = (values: unknown[]) => boolean;

/** The plain SQL of an insert of `columns` into `table` that does nothing for an external id already stored; names from the schema. */
function insertSql(table: SQLiteTable, columns: readonly SQLiteColumn[]): string {
  return (
    `insert into "${getTableName(table)}" (${columns.map((c) => `"${c.name}"`).join(", ")}) ` +
    `values (${columns.map(() => "?").join(", ")}) on conflict ("external_id") do nothing`
  );
}

function insertNew(db: Db, table: SQLiteTable, columns: readonly SQLiteColumn[]): InsertNew {
  const statement = db.$client.prepare(insertSql(table, columns));
  return (values) => statement.run(values).changes === 1;
}

function buildNew(db: Db) {
  const supporterStatement = db.$client.prepare(
    `${insertSql(supporters, [supporters.externalId, supporters.email, supporters.name, supporters.postalAddress, supporters.phone, supporters.source, supporters.createdAt, supporters.updatedAt])} returning "id"`,
  );
  // The values each takes, in this order (times as milliseconds): external id and supporter id first.
  return {
    /** A new supporter's id; undefined when one with its external id is stored already. */
    supporter: (values: unknown[]) => (supporterStatement.raw().get(values) as [number] | undefined)?.[0],
    donation: insertNew(db, donations, [donations.externalId, donations.supporterId, donations.amountMinor, donations.currency, donations.donatedOn, donations.method, donations.cardLast4]),
    membership: insertNew(db, memberships, [memberships.externalId, memberships.supporterId, memberships.plan, memberships.startedOn, memberships.endsOn, memberships.status]),
    subscription: insertNew(db, subscriptions, [subscriptions.externalId, subscriptions.supporterId, subscriptions.list, subscriptions.subscribedAt, subscriptions.unsubscribedAt]),
    petition_signature: insertNew(db, petitionSignatures, [petitionSignatures.externalId, petitionSignatures.supporterId, petitionSignatures.petition, petitionSignatures.signedAt, petitionSignatures.comment]),
    correspondence: insertNew(db, correspondence, [correspondence.externalId, correspondence.supporterId, correspondence.at, correspondence.direction, correspondence.channel, correspondence.subject, correspondence.body]),
    web_visit: insertNew(db, webVisits, [webVisits.externalId, webVisits.supporterId, webVisits.at, webVisits.ipAddress, webVisits.userAgent, webVisits.page, webVisits.referrer]),
  };
}

export type ImportStatements = ReturnType<typeof build> & { insertNew: ReturnType<typeof buildNew> };

export function importStatements(db: Db): ImportStatements {
  return preparedOnce(db, "import-statements", (d) => ({ ...build(d), insertNew: buildNew(d) }));
}
