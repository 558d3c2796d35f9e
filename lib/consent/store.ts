/**
 * Reading and writing choices: the current state per address and topic, the
 * append-only history beside it, and the subscriptions in the
 * organisation's records that a choice about a list changes. Every write
 * here runs in the caller's transaction, together with whatever caused it.
 *
 * An import asks about every subscription row it writes, so each statement
 * is prepared once per connection or transaction and run with its values:
 * building a query's SQL anew costs far more than running it.
 */
import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import type { Executor } from "@/db/connection";
import { consentChanges, consents, subscriptions, supporters, type ConsentRoute, type ConsentState, type ConsentTopic } from "@/db/schema";
import { decideList, type ListDecision, type ListFacts } from "./decision";

/** How a choice came to be, as the history keeps it. */
export type ChoiceSource = {
  route: ConsentRoute;
  /** The words the person was shown, or what they (or their mail program, or their browser) sent. */
  wording: string;
  /** The import's file name, or the staff member who recorded it. */
  detail?: string | null;
  /** The unsubscribe request an opt-out was filed as. */
  requestId?: number | null;
};

/** Marks the topics that are not one list: their `list` is empty. */
const NO_LIST = "";

const p = sql.placeholder;
const prepared = new WeakMap<Executor, Map<string, unknown>>();

/** One statement, prepared the first time this connection (or transaction) runs it. */
function once<T>(tx: Executor, name: string, build: (tx: Executor) => T): T {
  let byName = prepared.get(tx);
  if (!byName) {
    byName = new Map();
    prepared.set(tx, byName);
  }
  if (!byName.has(name)) byName.set(name, build(tx));
  return byName.get(name) as T;
}

/** The address's supporter records, as a condition on a supporter id. */
const ofAddress = (column: typeof subscriptions.supporterId) => inArray(column, sql`(select ${supporters.id} from ${supporters} where ${supporters.email} = ${p("email")})`);

const statements = {
  choice: (tx: Executor) =>
    tx
      .select()
      .from(consents)
      .where(and(eq(consents.email, p("email")), eq(consents.topic, p("topic")), eq(consents.list, p("list"))))
      .prepare(),
  /** The address's choice about one list and its choice about every list, in one look-up (an import asks for each subscription row). */
  listChoices: (tx: Executor) =>
    tx
      .select({ topic: consents.topic, state: consents.state, at: consents.at, route: consents.route })
      .from(consents)
      .where(
        and(
          eq(consents.email, p("email")),
          or(and(eq(consents.topic, "mailing_list"), eq(consents.list, p("list"))), and(eq(consents.topic, "all_lists"), eq(consents.list, NO_LIST))),
        ),
      )
      .prepare(),
  rows: (tx: Executor) =>
    tx
      .select({
        running: sql<number>`coalesce(sum(${subscriptions.unsubscribedAt} is null), 0)`,
        ended: sql<number>`coalesce(sum(${subscriptions.unsubscribedAt} is not null), 0)`,
        lastEndedAt: sql<number | null>`max(${subscriptions.unsubscribedAt})`,
        firstSubscribedAt: sql<number | null>`min(${subscriptions.subscribedAt})`,
      })
      .from(subscriptions)
      .innerJoin(supporters, eq(supporters.id, subscriptions.supporterId))
      .where(and(eq(supporters.email, p("email")), eq(subscriptions.list, p("list"))))
      .prepare(),
  upsertChoice: (tx: Executor) =>
    tx
      .insert(consents)
      .values({ email: p("email"), topic: p("topic"), list: p("list"), state: p("state"), at: p("at"), route: p("route") })
      .onConflictDoUpdate({
        target: [consents.email, consents.topic, consents.list],
        set: { state: sql`excluded.state`, at: sql`excluded.at`, route: sql`excluded.route` },
      })
      .prepare(),
  addChange: (tx: Executor) =>
    tx
      .insert(consentChanges)
      .values({
        email: p("email"),
        topic: p("topic"),
        list: p("list"),
        state: p("state"),
        at: p("at"),
        route: p("route"),
        wording: p("wording"),
        detail: sql`${p("detail")}`,
        requestId: sql`${p("requestId")}`,
        recordedAt: p("now"),
      })
      .prepare(),
  endRows: (tx: Executor) =>
    tx
      .update(subscriptions)
      .set({ unsubscribedAt: sql`${p("atMs")}` })
      .where(and(ofAddress(subscriptions.supporterId), eq(subscriptions.list, p("list")), isNull(subscriptions.unsubscribedAt)))
      .prepare(),
};

export function storedChoice(tx: Executor, email: string, topic: ConsentTopic, list = NO_LIST) {
  return once(tx, "choice", statements.choice).get({ email, topic, list });
}

/** The address's subscriptions to one list, across all its supporter records, in aggregate. */
function rowFacts(tx: Executor, email: string, list: string): ListFacts["rows"] {
  const row = once(tx, "rows", statements.rows).get({ email, list });
  return {
    running: row?.running ?? 0,
    ended: row?.ended ?? 0,
    lastEndedAt: row?.lastEndedAt == null ? null : new Date(row.lastEndedAt),
    firstSubscribedAt: row?.firstSubscribedAt == null ? null : new Date(row.firstSubscribedAt),
  };
}

export function listFacts(tx: Executor, email: string, list: string): ListFacts {
  const choices = once(tx, "listChoices", statements.listChoices).all({ email, list });
  const choice = choices.find((c) => c.topic === "mailing_list");
  const all = choices.find((c) => c.topic === "all_lists");
  return {
    choice: choice ? { state: choice.state, at: choice.at, route: choice.route } : null,
    allLists: all && all.state === "withdrawn" ? { at: all.at, route: all.route } : null,
    rows: rowFacts(tx, email, list),
  };
}

export function listDecision(tx: Executor, email: string, list: string): ListDecision {
  return decideList(listFacts(tx, email, list));
}

/** Lists the address has any record of: a subscription on one of its records, or a choice. */
export function listsOfAddress(tx: Executor, email: string): string[] {
  const fromRows = tx
    .selectDistinct({ list: subscriptions.list })
    .from(subscriptions)
    .innerJoin(supporters, eq(supporters.id, subscriptions.supporterId))
    .where(eq(supporters.email, email))
    .all()
    .map((r) => r.list);
  const fromChoices = tx
    .select({ list: consents.list })
    .from(consents)
    .where(and(eq(consents.email, email), eq(consents.topic, "mailing_list")))
    .all()
    .map((r) => r.list);
  return [...new Set([...fromRows, ...fromChoices])].sort();
}

/** Writes the choice as it now stands and its line of history; nothing when it already stands so. Returns whether it changed. */
export function writeChoice(
  tx: Executor,
  input: {
    email: string;
    topic: ConsentTopic;
    list?: string;
    state: ConsentState;
    at: Date;
    now: Date;
    source: ChoiceSource;
    /** The choice as it stands, when the caller has just read it in this transaction (null: none recorded); read here otherwise. */
    current?: ConsentState | null;
  },
): boolean {
  const list = input.list ?? NO_LIST;
  const current = input.current !== undefined ? input.current : (storedChoice(tx, input.email, input.topic, list)?.state ?? null);
  if (current === input.state) return false;
  const values = { email: input.email, topic: input.topic, list, state: input.state, at: input.at, route: input.source.route };
  once(tx, "upsertChoice", statements.upsertChoice).run(values);
  once(tx, "addChange", statements.addChange).run({
    ...values,
    wording: input.source.wording,
    detail: input.source.detail ?? null,
    requestId: input.source.requestId ?? null,
    now: input.now,
  });
  return true;
}

/** Ends the address's running subscriptions to one list on every one of its records; returns how many ended. */
export function endSubscriptionsTo(tx: Executor, input: { email: string; list: string; at: Date }): number {
  return once(tx, "endRows", statements.endRows).run({ email: input.email, list: input.list, atMs: input.at.getTime() }).changes;
}

/** Where a subscription made in Rightsdesk is written: external ids the organisation's systems never use. */
export const OWN_RECORD_PREFIX = "rightsdesk-";
/** What a supporter record made for a person who chose a list, with no record of their own yet, says it came from. */
export const PREFERENCE_CENTRE_SOURCE = "Preference centre";

/**
 * Puts the address on one list in the organisation's records: its ended
 * subscriptions to it run again; with none, its first supporter record gets
 * one (and an address with no record at all gets a record, naming the
 * preference centre as its source). Returns the subscriptions now running.
 */
export function startSubscriptionTo(tx: Executor, input: { email: string; list: string; at: Date; now: Date }): number {
  const ids = tx.select({ id: supporters.id }).from(supporters).where(eq(supporters.email, input.email)).orderBy(asc(supporters.id)).all().map((r) => r.id);
  if (ids.length > 0) {
    tx.update(subscriptions)
      .set({ unsubscribedAt: null })
      .where(and(inArray(subscriptions.supporterId, ids), eq(subscriptions.list, input.list), isNotNull(subscriptions.unsubscribedAt)))
      .run();
    const running =
      tx
        .select({ n: sql<number>`count(*)` })
        .from(subscriptions)
        .where(and(inArray(subscriptions.supporterId, ids), eq(subscriptions.list, input.list), isNull(subscriptions.unsubscribedAt)))
        .get()?.n ?? 0;
    if (running > 0) return running;
  } else {
    const created = tx
      .insert(supporters)
      .values({ externalId: `${OWN_RECORD_PREFIX}${randomUUID()}`, email: input.email, source: PREFERENCE_CENTRE_SOURCE, createdAt: input.now, updatedAt: input.now })
      .returning({ id: supporters.id })
      .get();
    ids.push(created.id);
  }
  tx.insert(subscriptions)
    .values({ externalId: `${OWN_RECORD_PREFIX}${randomUUID()}`, supporterId: ids[0]!, list: input.list, subscribedAt: input.at })
    .run();
  return 1;
}

/** The address's history of choices, oldest first. */
export function historyOf(tx: Executor, email: string) {
  return tx.select().from(consentChanges).where(eq(consentChanges.email, email)).orderBy(asc(consentChanges.id)).all();
}
