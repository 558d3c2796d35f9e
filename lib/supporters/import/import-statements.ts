/**
 * The statements an import runs for every row, prepared once per connection
 * (updates, which only changed rows need, are built as they come): the
 * lookups of what is stored, and the inserts of new records.
 * A large file runs hundreds of thousands of them inside one transaction that
 * holds the database's write lock, so each must cost as little as it can:
 * building a query's SQL anew for every row cost more than running it.
 */
import { and, eq, ne, sql } from "drizzle-orm";
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

function insertNew(db: Db, table: string, columns: readonly string[]): InsertNew {
  const statement = db.$client.prepare(
    `insert into ${table} (${columns.join(", ")}) values (${columns.map(() => "?").join(", ")}) on conflict (external_id) do nothing`,
  );
  return (values) => statement.run(values).changes === 1;
}

/** The columns each kind's insertNew takes, in order; external_id and supporter_id first. */
export const NEW_RECORD_COLUMNS = {
  donation: ["external_id", "supporter_id", "amount_minor", "currency", "donated_on", "method", "card_last4"],
  membership: ["external_id", "supporter_id", "plan", "started_on", "ends_on", "status"],
  subscription: ["external_id", "supporter_id", "list", "subscribed_at", "unsubscribed_at"],
  petition_signature: ["external_id", "supporter_id", "petition", "signed_at", "comment"],
  correspondence: ["external_id", "supporter_id", "at", "direction", "channel", "subject", "body"],
  web_visit: ["external_id", "supporter_id", "at", "ip_address", "user_agent", "page", "referrer"],
} as const;

const TABLE_OF_KIND = {
  donation: "donations",
  membership: "memberships",
  subscription: "subscriptions",
  petition_signature: "petition_signatures",
  correspondence: "correspondence",
  web_visit: "web_visits",
} as const;

function buildNew(db: Db) {
  const supporterStatement = db.$client.prepare(
    "insert into supporters (external_id, email, name, postal_address, phone, source, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (external_id) do nothing returning id",
  );
  return {
    /** A new supporter's id; undefined when one with its external id is stored already. */
    supporter: (values: unknown[]) => (supporterStatement.raw().get(values) as [number] | undefined)?.[0],
    ...(Object.fromEntries(
      (Object.keys(NEW_RECORD_COLUMNS) as (keyof typeof NEW_RECORD_COLUMNS)[]).map((kind) => [kind, insertNew(db, TABLE_OF_KIND[kind], NEW_RECORD_COLUMNS[kind])]),
    ) as Record<keyof typeof NEW_RECORD_COLUMNS, InsertNew>),
  };
}

export type ImportStatements = ReturnType<typeof build> & { insertNew: ReturnType<typeof buildNew> };

export function importStatements(db: Db): ImportStatements {
  return preparedOnce(db, "import-statements", (d) => ({ ...build(d), insertNew: buildNew(d) }));
}
