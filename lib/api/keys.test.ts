import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apiCalls, apiKeys } from "@/db/schema";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { forgetOldCalls, recordApiCall, CALL_LOG_DAYS } from "./call-log";
import { openKeyRates } from "./key-rate";
import { authenticateApiKey, createApiKey, DEFAULT_RATE_PER_MINUTE, hashApiKey, listApiKeys, parseKeyForm, recentCalls, revokeApiKey } from "./keys";

const now = new Date("2026-05-04T10:00:00Z");

describe("parseKeyForm", () => {
  const cases: Array<[string, Record<string, string>, { ok: true; value: unknown } | { ok: false; fieldErrors: Record<string, string> }]> = [
    [
      "a name and one scope, the default rate",
      { name: "  CRM ", scope_read_requests: "yes" },
      { ok: true, value: { name: "CRM", scopes: ["read_requests"], ratePerMinute: DEFAULT_RATE_PER_MINUTE } },
    ],
    [
      "every scope and a rate",
      { name: "Website", scope_read_requests: "yes", scope_read_internal_notes: "yes", scope_file_requests: "yes", scope_read_events: "yes", ratePerMinute: "600" },
      { ok: true, value: { name: "Website", scopes: ["read_requests", "read_internal_notes", "file_requests", "read_events"], ratePerMinute: 600 } },
    ],
    ["no name", { scope_read_events: "yes" }, { ok: false, fieldErrors: { name: "Give the key a name that says which program uses it, such as “CRM”." } }],
    ["no scope", { name: "CRM" }, { ok: false, fieldErrors: { scopes: "Choose at least one thing the key may do." } }],
    [
      "internal notes without reading requests",
      { name: "CRM", scope_read_internal_notes: "yes" },
      { ok: false, fieldErrors: { scopes: "Reading internal notes needs Read requests too: notes are part of a request's history." } },
    ],
    ["a rate of nought", { name: "CRM", scope_read_events: "yes", ratePerMinute: "0" }, { ok: false, fieldErrors: { ratePerMinute: "The rate must be a whole number of calls a minute, from 1 to 6,000." } }],
    ["a rate too high", { name: "CRM", scope_read_events: "yes", ratePerMinute: "6001" }, { ok: false, fieldErrors: { ratePerMinute: "The rate must be a whole number of calls a minute, from 1 to 6,000." } }],
    ["a rate that is not a number", { name: "CRM", scope_read_events: "yes", ratePerMinute: "fast" }, { ok: false, fieldErrors: { ratePerMinute: "The rate must be a whole number of calls a minute, from 1 to 6,000." } }],
    ["a name with a line break", { name: "C\nRM", scope_read_events: "yes" }, { ok: false, fieldErrors: { name: "The key's name must be on one line, without line breaks." } }],
  ];
  it.each(cases)("%s", (_name, input, expected) => {
    expect(parseKeyForm(input)).toEqual(expected);
  });
});

describe("API keys", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  it("are shown once and stored only as a hash, with a hint to tell them apart", () => {
    const { id, key } = createApiKey(t.db, { name: "CRM", scopes: ["read_requests"], ratePerMinute: 60, createdBy: "lead@example.org", now });
    expect(key).toMatch(/^rdk_[A-Za-z0-9_-]{43}$/);
    const row = t.db.select().from(apiKeys).get()!;
    expect(row).toMatchObject({ id, name: "CRM", secretHash: hashApiKey(key), hint: key.slice(0, 10), scopes: ["read_requests"], ratePerMinute: 60 });
    expect(JSON.stringify(row)).not.toContain(key);
  });

  it("authenticate the bearer of a key until it is revoked, and say why not otherwise", () => {
    const { id, key } = createApiKey(t.db, { name: "CRM", scopes: ["read_events"], ratePerMinute: 60, createdBy: "lead@example.org", now });
    expect(authenticateApiKey(t.db, `Bearer ${key}`)).toEqual({ ok: true, caller: { keyId: id, name: "CRM", scopes: ["read_events"], ratePerMinute: 60 } });
    expect(authenticateApiKey(t.db, `bearer  ${key}`).ok).toBe(true);
    expect(authenticateApiKey(t.db, null)).toEqual({ ok: false, reason: "missing" });
    expect(authenticateApiKey(t.db, key)).toEqual({ ok: false, reason: "malformed" });
    expect(authenticateApiKey(t.db, `Basic ${key}`)).toEqual({ ok: false, reason: "malformed" });
    // The same key with its last character changed (to one it does not already end in) is no key at all.
    const altered = `${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`;
    expect(authenticateApiKey(t.db, `Bearer ${altered}`)).toEqual({ ok: false, reason: "unknown" });

    expect(revokeApiKey(t.db, { id, revokedBy: "lead@example.org", now })).toBe(true);
    expect(authenticateApiKey(t.db, `Bearer ${key}`)).toEqual({ ok: false, reason: "revoked" });
    // Revoking twice changes nothing.
    expect(revokeApiKey(t.db, { id, revokedBy: "other@example.org", now })).toBe(false);
    expect(listApiKeys(t.db)[0]).toMatchObject({ revokedBy: "lead@example.org", revokedAt: now });
  });

  it("put every call on the record with the key's last use, and forget calls after the retention period", () => {
    const { id } = createApiKey(t.db, { name: "CRM", scopes: ["read_requests"], ratePerMinute: 60, createdBy: "lead@example.org", now });
    const old = new Date(now.getTime() - (CALL_LOG_DAYS + 1) * 24 * 60 * 60_000);
    recordApiCall(t.db, { keyId: id, at: old, method: "GET", route: "/api/v1/requests", status: 200, reference: null });
    recordApiCall(t.db, { keyId: id, at: now, method: "GET", route: "/api/v1/requests/{reference}", status: 200, reference: "RD-7K3Q-9XWM" });
    expect(recentCalls(t.db, id)).toEqual([
      { at: now, method: "GET", route: "/api/v1/requests/{reference}", status: 200, reference: "RD-7K3Q-9XWM" },
      { at: old, method: "GET", route: "/api/v1/requests", status: 200, reference: null },
    ]);
    expect(listApiKeys(t.db)[0]!.lastUsedAt).toEqual(now);
    expect(forgetOldCalls(t.db, now)).toBe(1);
    expect(t.db.select().from(apiCalls).all()).toHaveLength(1);
  });

  it("each have their own rate a minute", async () => {
    const rates = openKeyRates();
    const slow = { keyId: 1, ratePerMinute: 2 };
    const other = { keyId: 2, ratePerMinute: 2 };
    expect(await rates.admit(slow)).toEqual({ ok: true });
    expect(await rates.admit(slow)).toEqual({ ok: true });
    const third = await rates.admit(slow);
    expect(third.ok).toBe(false);
    expect(!third.ok && third.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(!third.ok && third.retryAfterSeconds).toBeLessThanOrEqual(60);
    // Another key's calls are counted apart.
    expect(await rates.admit(other)).toEqual({ ok: true });
  });
});
