/**
 * The organisation's mailing lists: each list an import named, with the
 * title and description people see in the preference centre. Admins set
 * the words at /staff/lists; a list nobody has described yet shows its name.
 */
import { asc, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/connection";
import { consents, mailingLists, subscriptions, supporters, type MailingList } from "@/db/schema";
import { oneLineText, multiLineText, type FieldErrors } from "@/lib/forms/fields";

export type ListInfo = {
  /** The name imports use, e.g. "newsletter". */
  name: string;
  /** What people read: the title an admin gave it, or its name with a capital. */
  title: string;
  description: string | null;
};

/** "newsletter" → "Newsletter", "monthly-appeals" → "Monthly appeals". */
export function titleFromName(name: string): string {
  const words = name.replace(/[-_]+/g, " ").trim();
  return words === "" ? name : `${words[0]!.toUpperCase()}${words.slice(1)}`;
}

export function listInfoOf(row: Pick<MailingList, "name" | "title" | "description">): ListInfo {
  return { name: row.name, title: row.title ?? titleFromName(row.name), description: row.description };
}

/** Every list the organisation has, in the order people read them (by title). */
export function organisationLists(tx: Executor): ListInfo[] {
  return tx
    .select({ name: mailingLists.name, title: mailingLists.title, description: mailingLists.description })
    .from(mailingLists)
    .orderBy(asc(mailingLists.name))
    .all()
    .map(listInfoOf)
    .sort((a, b) => a.title.localeCompare(b.title, "en-GB") || a.name.localeCompare(b.name));
}

/** One list by its name, or null when the organisation has no list by that name. */
export function findList(tx: Executor, name: string): ListInfo | null {
  const row = tx.select().from(mailingLists).where(eq(mailingLists.name, name)).get();
  return row ? listInfoOf(row) : null;
}

/** Records lists an import (or anything else writing subscriptions) names, keeping the words of those already known. */
export function noteLists(tx: Executor, names: Iterable<string>, now: Date): void {
  const unique = [...new Set(names)];
  if (unique.length === 0) return;
  tx.insert(mailingLists)
    .values(unique.map((name) => ({ name, title: null, description: null, createdAt: now, updatedAt: now, updatedBy: null })))
    .onConflictDoNothing()
    .run();
}

export const LIST_TITLE_MAX = 80;
export const LIST_DESCRIPTION_MAX = 500;

const titleField = oneLineText("The title", LIST_TITLE_MAX);
const descriptionField = multiLineText("The description", LIST_DESCRIPTION_MAX);

export type ListWords = { name: string; title: string | null; description: string | null };

/** Reads the form that sets a list's words: a title of one line and a short description, both optional. */
export function parseListWords(input: Record<string, string>): { ok: true; value: ListWords } | { ok: false; fieldErrors: FieldErrors } {
  const fieldErrors: FieldErrors = {};
  const name = (input.list ?? "").trim();
  if (name === "") fieldErrors.list = "Choose a list.";
  else if (name.length > 100 || /[\u0000-\u001f\u007f]/.test(name)) fieldErrors.list = "There is no list by that name.";
  const title = titleField.safeParse(input.title);
  if (!title.success) fieldErrors.title = title.error.issues[0]?.message ?? "The title is not valid.";
  const description = descriptionField.safeParse(input.description);
  if (!description.success) fieldErrors.description = description.error.issues[0]?.message ?? "The description is not valid.";
  if (Object.keys(fieldErrors).length > 0 || !title.success || !description.success) return { ok: false, fieldErrors };
  return { ok: true, value: { name, title: title.data ?? null, description: description.data ?? null } };
}

/** Saves a list's words; false when the organisation has no list by that name. */
export function saveListWords(tx: Executor, input: ListWords & { by: string; now: Date }): boolean {
  return (
    tx
      .update(mailingLists)
      .set({ title: input.title, description: input.description, updatedAt: input.now, updatedBy: input.by })
      .where(eq(mailingLists.name, input.name))
      .run().changes > 0
  );
}

export type ListFigures = ListInfo & {
  /** The title an admin gave it; null while it shows its name. */
  givenTitle: string | null;
  /** Addresses with a running subscription to the list. */
  on: number;
  /** Addresses whose recorded choice is to be off it. */
  optedOut: number;
};

/** Every list with how many addresses are on it and how many chose to leave it, for the admins' page. */
export function listFigures(tx: Executor): ListFigures[] {
  const on = new Map(
    tx
      .select({ list: subscriptions.list, n: sql<number>`count(distinct ${supporters.email})` })
      .from(subscriptions)
      .innerJoin(supporters, eq(supporters.id, subscriptions.supporterId))
      .where(sql`${subscriptions.unsubscribedAt} is null`)
      .groupBy(subscriptions.list)
      .all()
      .map((r) => [r.list, r.n]),
  );
  const off = new Map(
    tx
      .select({ list: consents.list, n: sql<number>`count(*)` })
      .from(consents)
      .where(sql`${consents.topic} = 'mailing_list' and ${consents.state} = 'withdrawn'`)
      .groupBy(consents.list)
      .all()
      .map((r) => [r.list, r.n]),
  );
  const given = new Map(tx.select({ name: mailingLists.name, title: mailingLists.title }).from(mailingLists).all().map((r) => [r.name, r.title]));
  return organisationLists(tx).map((list) => ({ ...list, givenTitle: given.get(list.name) ?? null, on: on.get(list.name) ?? 0, optedOut: off.get(list.name) ?? 0 }));
}
