/**
 * API keys: created by an admin, shown once, kept only as a SHA-256 hash.
 * A key names the scopes it may use and how many calls a minute it may
 * make; revoking it takes effect on the next call, since every call looks
 * the key up afresh.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/connection";
import { preparedOnce } from "@/db/prepared";
import { API_SCOPES, apiCalls, apiKeys, type ApiScope } from "@/db/schema";
import { fieldErrorsOf, oneLineText, type FieldErrors } from "@/lib/forms/fields";

/** Every key starts with this, so one pasted into the wrong place is recognisable (and secret scanners can find it). */
export const KEY_PREFIX = "rdk_";

const KEY_SHAPE = /^rdk_[A-Za-z0-9_-]{43}$/;

export const SCOPE_WORDS: Record<ApiScope, { label: string; hint: string }> = {
  read_requests: { label: "Read requests", hint: "list requests and read one with its history" },
  read_internal_notes: { label: "Read internal notes", hint: "read staff's internal notes in a request's history (with Read requests)" },
  file_requests: { label: "File requests", hint: "file a request for a supporter, who confirms it by email" },
  read_events: { label: "Read events", hint: "read the stream of what happens to requests" },
};

export const DEFAULT_RATE_PER_MINUTE = 120;
export const MAX_RATE_PER_MINUTE = 6000;

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** A fresh key: the prefix and 32 random bytes. */
export function newApiKey(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
}

export type KeyInput = { name: string; scopes: ApiScope[]; ratePerMinute: number };

const nameField = oneLineText("The key's name", 100);

/** The admin's "create a key" form: a name, at least one scope, and a rate (blank: the default). */
export function parseKeyForm(input: Record<string, string>): { ok: true; value: KeyInput } | { ok: false; fieldErrors: FieldErrors } {
  const errors: FieldErrors = {};
  const name = nameField.safeParse(input.name);
  if (!name.success) errors.name = fieldErrorsOf(name.error).form ?? "Check the name.";
  else if (!name.data) errors.name = "Give the key a name that says which program uses it, such as “CRM”.";
  const scopes = API_SCOPES.filter((scope) => input[`scope_${scope}`] === "yes");
  if (scopes.length === 0) errors.scopes = "Choose at least one thing the key may do.";
  else if (scopes.includes("read_internal_notes") && !scopes.includes("read_requests")) {
    errors.scopes = "Reading internal notes needs Read requests too: notes are part of a request's history.";
  }
  const rawRate = (input.ratePerMinute ?? "").trim();
  let ratePerMinute = DEFAULT_RATE_PER_MINUTE;
  if (rawRate !== "") {
    if (!/^\d{1,5}$/.test(rawRate) || Number(rawRate) < 1 || Number(rawRate) > MAX_RATE_PER_MINUTE) {
      errors.ratePerMinute = `The rate must be a whole number of calls a minute, from 1 to ${MAX_RATE_PER_MINUTE.toLocaleString("en-GB")}.`;
    } else {
      ratePerMinute = Number(rawRate);
    }
  }
  if (Object.keys(errors).length > 0 || !name.success || !name.data) return { ok: false, fieldErrors: errors };
  return { ok: true, value: { name: name.data, scopes, ratePerMinute } };
}

/** Creates a key and returns it: the only time it exists outside the caller's hands. */
export function createApiKey(db: Db, input: KeyInput & { createdBy: string; now: Date }): { id: number; key: string } {
  const key = newApiKey();
  const { id } = db
    .insert(apiKeys)
    .values({
      name: input.name,
      secretHash: hashApiKey(key),
      hint: key.slice(0, KEY_PREFIX.length + 6),
      scopes: input.scopes,
      ratePerMinute: input.ratePerMinute,
      createdAt: input.now,
      createdBy: input.createdBy,
    })
    .returning({ id: apiKeys.id })
    .get();
  return { id, key };
}

/** Revokes a key at once; false when there was no such key still in use. */
export function revokeApiKey(db: Db, input: { id: number; revokedBy: string; now: Date }): boolean {
  return (
    db
      .update(apiKeys)
      .set({ revokedAt: input.now, revokedBy: input.revokedBy })
      .where(and(eq(apiKeys.id, input.id), isNull(apiKeys.revokedAt)))
      .run().changes === 1
  );
}

/** What a call's key allows, once the key is found and still in use. */
export type ApiCaller = { keyId: number; name: string; scopes: readonly ApiScope[]; ratePerMinute: number };

const keyByHash = (db: Db) =>
  db
    .select({ id: apiKeys.id, name: apiKeys.name, scopes: apiKeys.scopes, ratePerMinute: apiKeys.ratePerMinute, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .where(eq(apiKeys.secretHash, sql.placeholder("hash")))
    .prepare();

export type KeyLookup = { ok: true; caller: ApiCaller } | { ok: false; reason: "missing" | "malformed" | "incomplete" | "unknown" | "revoked" };

/** The caller named by an `Authorization: Bearer rdk_…` header. */
export function authenticateApiKey(db: Db, authorization: string | null): KeyLookup {
  if (!authorization) return { ok: false, reason: "missing" };
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
  if (!match) return { ok: false, reason: "malformed" };
  // A key cut short or with something pasted on: said so, rather than that no key was sent.
  if (!KEY_SHAPE.test(match[1]!)) return { ok: false, reason: match[1]!.startsWith(KEY_PREFIX) ? "incomplete" : "malformed" };
  const row = preparedOnce(db, "apiKeyByHash", keyByHash).get({ hash: hashApiKey(match[1]!) });
  if (!row) return { ok: false, reason: "unknown" };
  if (row.revokedAt !== null) return { ok: false, reason: "revoked" };
  return { ok: true, caller: { keyId: row.id, name: row.name, scopes: row.scopes, ratePerMinute: row.ratePerMinute } };
}

export type KeyView = {
  id: number;
  name: string;
  hint: string;
  scopes: ApiScope[];
  ratePerMinute: number;
  createdAt: Date;
  createdBy: string;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
};

/** Every key, newest first, those in use before revoked ones. */
export function listApiKeys(db: Db): KeyView[] {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      hint: apiKeys.hint,
      scopes: apiKeys.scopes,
      ratePerMinute: apiKeys.ratePerMinute,
      createdAt: apiKeys.createdAt,
      createdBy: apiKeys.createdBy,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
      revokedBy: apiKeys.revokedBy,
    })
    .from(apiKeys)
    .orderBy(sql`${apiKeys.revokedAt} is not null`, desc(apiKeys.id))
    .all();
}

export type CallView = { at: Date; method: string; route: string; status: number; reference: string | null };

/** A key's latest calls, newest first. */
export function recentCalls(db: Db, keyId: number, limit = 20): CallView[] {
  return db
    .select({ at: apiCalls.at, method: apiCalls.method, route: apiCalls.route, status: apiCalls.status, reference: apiCalls.reference })
    .from(apiCalls)
    .where(eq(apiCalls.keyId, keyId))
    .orderBy(desc(apiCalls.id))
    .limit(limit)
    .all();
}

export const keyIdField = z.string().regex(/^\d{1,9}$/).transform(Number);
