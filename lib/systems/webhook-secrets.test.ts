import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrateDatabase } from "@/db/migrate";
import { makeTempDir, openTempDatabase, removeTempDir, tablesOf, type TempDatabase } from "@/lib/testing/temp-database";
import { CredentialsError, loadOrCreateCredentialsKey, looksSealed, type CredentialsKey } from "./connectors/credentials";
import { addSystem } from "./external-systems";
import { openWebhookSecret, renewWebhookSecret, sealPlaintextWebhookSecrets } from "./webhook-secrets";

const now = new Date("2026-12-01T09:00:00Z");

let t: TempDatabase;
let keyDir: string;
let key: CredentialsKey;
beforeEach(() => {
  t = openTempDatabase();
  keyDir = makeTempDir();
  key = loadOrCreateCredentialsKey(keyDir);
});
afterEach(() => {
  t.close();
  removeTempDir(keyDir);
});

const storedSecrets = () => t.db.$client.prepare("select id, name, secret from external_systems order by id").all() as Array<{ id: number; name: string; secret: string | null }>;

/** Rows as an older version wrote them: a webhook's secret in the clear. */
function oldInstallation(rows: Array<{ name: string; kind: "webhook" | "manual"; secret: string | null }>): void {
  const insert = t.db.$client.prepare("insert into external_systems (name, kind, url, secret, active, created_at) values (?, ?, ?, ?, 1, 0)");
  for (const row of rows) insert.run(row.name, row.kind, row.kind === "webhook" ? "https://crm.example.org/hook" : null, row.secret);
}

describe("a new webhook system's secret", () => {
  it("is stored sealed: not the secret, and not containing it, and opens again to it on its own row only", () => {
    const added = addSystem(t.db, { name: "CRM", kind: "webhook", url: "https://crm.example.org/hook" }, { key, now });
    const other = addSystem(t.db, { name: "Shop", kind: "webhook", url: "https://shop.example.org/hook" }, { key, now });
    if (!added.ok || !added.secret || !other.ok) throw new Error("not added");
    const [crm, shop] = storedSecrets();
    expect(crm!.secret).not.toBe(added.secret);
    expect(crm!.secret).not.toContain(added.secret);
    expect(looksSealed(crm!.secret!)).toBe(true);
    expect(openWebhookSecret(key, crm!.id, crm!.secret!)).toBe(added.secret);
    // Moved onto another system's row, it does not open.
    expect(() => openWebhookSecret(key, shop!.id, crm!.secret!)).toThrow(CredentialsError);
  });

  it("is not made for a manual system", () => {
    expect(addSystem(t.db, { name: "Paper", kind: "manual", url: null }, { key, now })).toEqual({ ok: true, secret: null });
    expect(storedSecrets()).toEqual([expect.objectContaining({ name: "Paper", secret: null })]);
  });
});

describe("sealing the secrets an older version kept in the clear", () => {
  const cases: Array<{ name: string; rows: Parameters<typeof oldInstallation>[0]; sealed: number }> = [
    { name: "no systems", rows: [], sealed: 0 },
    { name: "a manual system only", rows: [{ name: "Paper", kind: "manual", secret: null }], sealed: 0 },
    { name: "one webhook", rows: [{ name: "CRM", kind: "webhook", secret: "crm-secret-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }], sealed: 1 },
    {
      name: "two webhooks and a manual system",
      rows: [
        { name: "CRM", kind: "webhook", secret: "crm-secret-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" },
        { name: "Paper", kind: "manual", secret: null },
        { name: "Shop", kind: "webhook", secret: "shop-secret-BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB" },
      ],
      sealed: 2,
    },
  ];
  for (const { name, rows, sealed } of cases) {
    it(`seals each one once, keeping its value (${name}); a second run changes nothing`, () => {
      oldInstallation(rows);
      let asked = 0;
      const keyOnce = () => {
        asked++;
        return key;
      };
      migrateDatabase(t.db, { credentialsKey: keyOnce });
      // The key is only read (or made) when there is something to seal.
      expect(asked).toBe(sealed > 0 ? 1 : 0);
      const after = storedSecrets();
      for (const row of rows) {
        const stored = after.find((r) => r.name === row.name)!;
        if (row.secret === null) {
          expect(stored.secret).toBeNull();
          continue;
        }
        expect(stored.secret).not.toContain(row.secret);
        expect(looksSealed(stored.secret!)).toBe(true);
        // The same secret as before: the outside system already holds it.
        expect(openWebhookSecret(key, stored.id, stored.secret!)).toBe(row.secret);
      }

      const before = tablesOf(t.db);
      expect(sealPlaintextWebhookSecrets(t.db, keyOnce)).toBe(0);
      migrateDatabase(t.db, { credentialsKey: keyOnce });
      expect(tablesOf(t.db)).toEqual(before);
      expect(asked).toBe(sealed > 0 ? 1 : 0);
    });
  }

  it("leaves them as they are when migrating without the key, and seals them on the next migration that has it", () => {
    oldInstallation([{ name: "CRM", kind: "webhook", secret: "crm-secret" }]);
    migrateDatabase(t.db);
    expect(storedSecrets()).toEqual([expect.objectContaining({ secret: "crm-secret" })]);
    migrateDatabase(t.db, { credentialsKey: () => key });
    expect(looksSealed(storedSecrets()[0]!.secret!)).toBe(true);
  });

  it("seals all of them or none: a failure part-way leaves every secret as it was", () => {
    oldInstallation([
      { name: "CRM", kind: "webhook", secret: "crm-secret" },
      { name: "Shop", kind: "webhook", secret: "shop-secret" },
    ]);
    // The second row refuses to change, as a disk error part-way might.
    t.db.$client.exec("create trigger refuse_shop before update of secret on external_systems when old.name = 'Shop' begin select raise(abort, 'refused'); end");
    expect(() => sealPlaintextWebhookSecrets(t.db, () => key)).toThrow(/refused/);
    expect(storedSecrets().map((r) => r.secret)).toEqual(["crm-secret", "shop-secret"]);
  });

  it("leaves a secret sealed by this version alone", () => {
    const added = addSystem(t.db, { name: "CRM", kind: "webhook", url: "https://crm.example.org/hook" }, { key, now });
    const before = storedSecrets();
    expect(sealPlaintextWebhookSecrets(t.db, () => key)).toBe(0);
    expect(storedSecrets()).toEqual(before);
    expect(added.ok && openWebhookSecret(key, before[0]!.id, before[0]!.secret!)).toBe(added.ok ? added.secret : null);
  });
});

describe("a new secret for a webhook system", () => {
  it("replaces one that no longer opens (the key was replaced), sealed with the key in use now", () => {
    const added = addSystem(t.db, { name: "CRM", kind: "webhook", url: "https://crm.example.org/hook" }, { key, now });
    if (!added.ok || !added.secret) throw new Error("not added");
    const [crm] = storedSecrets();
    const otherDir = makeTempDir();
    try {
      const newKey = loadOrCreateCredentialsKey(otherDir);
      expect(() => openWebhookSecret(newKey, crm!.id, crm!.secret!)).toThrow(CredentialsError);
      const renewed = renewWebhookSecret(t.db, newKey, crm!.id);
      expect(renewed).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(renewed).not.toBe(added.secret);
      const stored = storedSecrets()[0]!.secret!;
      expect(stored).not.toContain(renewed!);
      expect(openWebhookSecret(newKey, crm!.id, stored)).toBe(renewed);
    } finally {
      removeTempDir(otherDir);
    }
  });

  const notWebhooks: Array<{ name: string; id: () => number }> = [
    { name: "no such system", id: () => 999_999 },
    {
      name: "a manual system",
      id: () => {
        addSystem(t.db, { name: "Paper", kind: "manual", url: null }, { key, now });
        return storedSecrets()[0]!.id;
      },
    },
  ];
  for (const { name, id } of notWebhooks) {
    it(`is not made for ${name}`, () => {
      const systemId = id();
      const before = tablesOf(t.db);
      expect(renewWebhookSecret(t.db, key, systemId)).toBeNull();
      expect(tablesOf(t.db)).toEqual(before);
    });
  }
});
