import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { externalSystems } from "@/db/schema";
import { makeTempDir, openTempDatabase, removeTempDir, type TempDatabase } from "@/lib/testing/temp-database";
import { CIVICRM_MAP_YAML } from "./civicrm-map";
import { listConnectedSystems, loadConnectedSystem, parseConnectedSystemForm, saveConnectedSystem, storedPassword, valuesToShowAgain } from "./connected-systems";
import { loadOrCreateCredentialsKey, type CredentialsKey } from "./credentials";

const DB_FORM = { name: "CRM", kind: "postgres", host: "db.example.org", port: "", database: "crm", user: "rightsdesk", password: "s3cret-pass", map: "version: 1" };

describe("the connected system form", () => {
  const cases: Array<{ name: string; input: Record<string, string>; errors?: Record<string, RegExp> }> = [
    { name: "a database with the default port", input: DB_FORM },
    { name: "a list server", input: { name: "Lists", kind: "mailman", url: "https://lists.example.org:8001/3.1/", user: "restadmin", password: "x" } },
    { name: "no name", input: { ...DB_FORM, name: " " }, errors: { name: /Give the system a name/ } },
    { name: "an unknown kind", input: { ...DB_FORM, kind: "oracle" }, errors: { kind: /Choose PostgreSQL, MySQL or MariaDB, or Mailman 3/ } },
    { name: "a port out of range", input: { ...DB_FORM, port: "70000" }, errors: { port: /between 1 and 65535/ } },
    { name: "a host with a path", input: { ...DB_FORM, host: "db.example.org/x" }, errors: { host: /host name or IP address/ } },
    { name: "no password when adding", input: { ...DB_FORM, password: "" }, errors: { password: /Enter the password/ } },
    { name: "no map for a database", input: { ...DB_FORM, map: "" }, errors: { map: /Give the dataset map/ } },
    { name: "a REST address with a password in it", input: { name: "Lists", kind: "mailman", url: "https://a:b@lists.example.org/3.1", user: "u", password: "x" }, errors: { url: /no user name or password in it/ } },
    { name: "a TLS mode it does not know", input: { ...DB_FORM, tls: "maybe" }, errors: { tls: /Choose off, require or verify/ } },
  ];
  for (const { name, input, errors } of cases) {
    it(`${errors ? "refuses" : "takes"} ${name}`, () => {
      const parsed = parseConnectedSystemForm(input);
      if (!errors) {
        expect(parsed.ok).toBe(true);
        return;
      }
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) for (const [field, message] of Object.entries(errors)) expect(parsed.fieldErrors[field]).toMatch(message);
    });
  }

  it("fills in PostgreSQL's port and schema, and trims the REST address", () => {
    const db = parseConnectedSystemForm(DB_FORM);
    expect(db.ok && db.value.settings).toEqual({ host: "db.example.org", port: 5432, database: "crm", user: "rightsdesk", schema: "public", tls: "off" });
    const mysql = parseConnectedSystemForm({ ...DB_FORM, kind: "mysql", map: "", ready: "civicrm" });
    expect(mysql.ok && mysql.value.settings).toMatchObject({ port: 3306 });
    expect(mysql.ok && mysql.value.mapText).toBe(CIVICRM_MAP_YAML);
    const lists = parseConnectedSystemForm({ name: "Lists", kind: "mailman", url: "https://lists.example.org/3.1/", user: "u", password: "x" });
    expect(lists.ok && lists.value.settings).toEqual({ url: "https://lists.example.org/3.1", user: "u" });
  });

  it("keeps the stored password when an edit leaves the field empty", () => {
    const parsed = parseConnectedSystemForm({ ...DB_FORM, id: "4", password: "" });
    expect(parsed.ok && parsed.value.password).toBe(null);
  });

  it("never sends the password back to the page", () => {
    expect(valuesToShowAgain({ ...DB_FORM, $ACTION_ID_1: "x" })).toEqual({ name: "CRM", kind: "postgres", host: "db.example.org", port: "", database: "crm", user: "rightsdesk", map: "version: 1" });
  });
});

describe("keeping connected systems", () => {
  let t: TempDatabase;
  let dir: string;
  let key: CredentialsKey;
  beforeEach(() => {
    t = openTempDatabase();
    dir = makeTempDir();
    key = loadOrCreateCredentialsKey(dir);
  });
  afterEach(() => {
    t.close();
    removeTempDir(dir);
  });

  function add(name = "CRM") {
    const parsed = parseConnectedSystemForm({ ...DB_FORM, name });
    if (!parsed.ok) throw new Error("form");
    return saveConnectedSystem(t.db, parsed.value, { key, now: new Date("2026-12-01T00:00:00Z") });
  }

  it("stores the password sealed, never in the clear, and opens it again for the work", () => {
    const saved = add();
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    const row = t.db.select().from(externalSystems).where(eq(externalSystems.id, saved.id)).get()!;
    expect(JSON.stringify(row)).not.toContain("s3cret-pass");
    expect(row.sealedPassword).toMatch(/^v1\./);
    expect(loadConnectedSystem(t.db, saved.id, key)).toMatchObject({ kind: "postgres", password: "s3cret-pass", mapText: "version: 1" });
    // The page's list says only whether a password is stored.
    expect(JSON.stringify(listConnectedSystems(t.db))).not.toContain("s3cret");
    expect(listConnectedSystems(t.db)[0]).toMatchObject({ where: "db.example.org:5432/crm as rightsdesk", hasPassword: true });
  });

  it("refuses a second system of the same name", () => {
    add();
    const again = add();
    expect(again).toMatchObject({ ok: false, fieldErrors: { name: "There is already a system called “CRM”." } });
  });

  it("keeps the password on an edit without one, and replaces it on an edit with one", () => {
    const saved = add();
    if (!saved.ok) return;
    const keep = parseConnectedSystemForm({ ...DB_FORM, id: String(saved.id), password: "", database: "crm2" });
    if (!keep.ok) throw new Error("form");
    expect(saveConnectedSystem(t.db, keep.value, { key, now: new Date() }).ok).toBe(true);
    expect(storedPassword(t.db, saved.id, key)).toBe("s3cret-pass");
    const change = parseConnectedSystemForm({ ...DB_FORM, id: String(saved.id), password: "new-one" });
    if (!change.ok) throw new Error("form");
    saveConnectedSystem(t.db, change.value, { key, now: new Date() });
    expect(storedPassword(t.db, saved.id, key)).toBe("new-one");
  });
});
