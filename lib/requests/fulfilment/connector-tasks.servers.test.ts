/**
 * Requests carried out in connected systems, end to end below the pages:
 * a real SQLite file for the portal, a real PostgreSQL CRM and a real
 * Mailman with two lists. Access gathers from both into the export,
 * correction writes the CRM row, unsubscribe empties the lists, and an
 * erasure with the CRM down stays open until it is back.
 */
import { and, eq } from "drizzle-orm";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { accessExports, externalSystems, mailOutbox, requestReceipts, requestTasks } from "@/db/schema";
import type { AccessExport } from "@/lib/requests/export/build-access-export";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import type { RequestActor } from "@/lib/requests/lifecycle/request-change";
import { approveRequest, startReview } from "@/lib/requests/casework/staff-step";
import { saveConnectedSystem } from "@/lib/systems/connectors/connected-systems";
import { loadOrCreateCredentialsKey, type CredentialsKey } from "@/lib/systems/connectors/credentials";
import { openMailman } from "@/lib/systems/connectors/mailman";
import { closeAllDrivers } from "@/lib/systems/connectors/pools";
import type { OutboundPolicy } from "@/lib/http/outbound-address";
import { filed } from "@/lib/testing/filed";
import { renderOutboxMail } from "@/lib/testing/outbox";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { requestEventsOf, requestRow } from "@/lib/testing/request-reads";
import { type DatabaseConnection, type DatabaseServer, type MailmanServer, startMailman, startPostgres } from "@/lib/testing/servers";
import { makeTempDir, openTempDatabase, removeTempDir, type TempDatabase } from "@/lib/testing/temp-database";
import { decideCorrections } from "./correction";
import { runDueConnectorTasks } from "./connector-tasks";
import { retryStoppedTask } from "./complete-task";

const ADMIN: RequestActor & { type: "staff" } = { type: "staff", email: "adam@example.org", role: "admin" };
const allowLoopback: OutboundPolicy = { allowPrivateHosts: ["127.0.0.1"], resolve: async () => [] };
const ctx = TEST_CONTEXT;

const CRM_MAP = `version: 1
supporter: { table: people, email: email }
tables:
  people:
    label: Supporter records
    erase: delete
    columns:
      email: { category: contact, correct: email }
      full_name: { category: contact, correct: name }
  gifts:
    label: Donations
    parent: people
    join: { column: person_id, parentColumn: id }
    erase: { keep: { years: 6, from: given_on, reason: "Tax law" } }
    columns:
      person_id: { category: donation, erase: "null" }
      given_on: { category: donation }
      amount_pence: { category: donation }
`;

let postgres: DatabaseServer;
let crm: DatabaseConnection;
let mailman: MailmanServer;
let keyDir: string;
let key: CredentialsKey;

async function sql(text: string, params: unknown[] = []): Promise<pg.QueryResultRow[]> {
  const client = new pg.Client(crm);
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}

async function rest(method: string, resource: string, body?: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${mailman.restUrl}/${resource}`, {
    method,
    headers: { authorization: mailman.authorization, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  await res.text();
  if (res.status >= 300) throw new Error(`${method} ${resource}: ${res.status}`);
}

async function listsOf(email: string): Promise<string[]> {
  const client = await openMailman({ settings: { url: mailman.restUrl, user: mailman.restUser }, password: mailman.restPassword }, allowLoopback);
  return (await client.memberships(email)).map((m) => m.list).sort();
}

async function seed(email: string, name: string): Promise<void> {
  await sql("INSERT INTO people (email, full_name) VALUES ($1, $2)", [email, name]);
  await sql("INSERT INTO gifts (person_id, given_on, amount_pence) SELECT id, '2025-03-01', 2500 FROM people WHERE email = $1", [email]);
  await sql("INSERT INTO gifts (person_id, given_on, amount_pence) SELECT id, '2010-03-01', 500 FROM people WHERE email = $1", [email]);
  for (const list of ["news", "alerts"]) {
    await rest("POST", "members", { list_id: `${list}.lists.example.org`, subscriber: email, pre_verified: true, pre_confirmed: true, pre_approved: true, send_welcome_message: false });
  }
}

beforeAll(async () => {
  [postgres, mailman] = await Promise.all([startPostgres(), startMailman()]);
  crm = await postgres.createDatabase();
  await sql(`CREATE TABLE people (id serial PRIMARY KEY, email varchar(254) NOT NULL, full_name text);
             CREATE TABLE gifts (id serial PRIMARY KEY, person_id int REFERENCES people(id), given_on date NOT NULL, amount_pence int NOT NULL)`);
  await rest("POST", "domains", { mail_host: "lists.example.org" });
  for (const list of ["news", "alerts"]) await rest("POST", "lists", { fqdn_listname: `${list}@lists.example.org` });
  keyDir = makeTempDir();
  key = loadOrCreateCredentialsKey(keyDir);
});
afterAll(async () => {
  await closeAllDrivers();
  await Promise.all([postgres?.stop(), mailman?.stop()]);
  if (keyDir) removeTempDir(keyDir);
});

describe("requests carried out in connected systems", () => {
  let t: TempDatabase;
  let clock: number;
  const tick = () => new Date((clock += 60_000));
  beforeEach(() => {
    t = openTempDatabase();
    clock = Date.parse("2026-12-01T09:00:00Z");
    const now = new Date(clock);
    expect(
      saveConnectedSystem(t.db, { id: null, name: "CRM", kind: "postgres", settings: { host: "127.0.0.1", port: crm.port, database: crm.database, user: crm.user, schema: "public", tls: "off" }, password: crm.password, mapText: CRM_MAP }, { key, now }).ok,
    ).toBe(true);
    expect(
      saveConnectedSystem(t.db, { id: null, name: "Lists", kind: "mailman", settings: { url: mailman.restUrl, user: mailman.restUser }, password: mailman.restPassword, mapText: null }, { key, now }).ok,
    ).toBe(true);
  });
  afterEach(() => t.close());

  const run = () => runDueConnectorTasks(t.db, new Date(clock), ctx, { outbound: allowLoopback, credentials: key });

  function fileAndApprove(type: "access" | "erasure" | "correction", email: string, details: Record<string, unknown> = {}): string {
    const { reference } = filed(fileVerifiedRequest(t.db, { submission: { type, email, details: { type, ...details } as never }, now: tick(), ctx }));
    const started = startReview(t.db, { reference, actor: ADMIN, expectedVersion: 1, now: tick() });
    if (!started.ok) throw new Error(started.message);
    if (type === "correction") {
      const decided = decideCorrections(t.db, { reference, actor: ADMIN, decisions: [{ field: "name", decision: "accepted", note: null }], now: tick() });
      if (!decided.ok) throw new Error(decided.message);
    }
    const approved = approveRequest(t.db, { reference, actor: ADMIN, expectedVersion: requestRow(t.db, reference).version, now: tick(), ctx, confirmedErasure: type === "erasure" });
    if (!approved.ok) throw new Error(approved.message);
    return reference;
  }

  it("access: each system's rows join the export in a section named by the system, and the request completes", async () => {
    await seed("ada@example.org", "Ada Lovelace");
    // The name Mailman keeps for the address is the person's data too.
    await rest("PATCH", "addresses/ada@example.org", { display_name: "Ada L." });
    const reference = fileAndApprove("access", "ada@example.org");
    expect(requestRow(t.db, reference).status).toBe("approved");
    expect(await run()).toEqual({ done: 2, retrying: 0, stopped: 0 });
    const request = requestRow(t.db, reference);
    expect(request.status).toBe("completed");
    const doc = t.db.select().from(accessExports).where(eq(accessExports.requestId, request.id)).get()!.content as AccessExport;
    expect(doc.version).toBe(4);
    const sections = Object.fromEntries((doc.connectedSystems ?? []).map((s) => [s.system, s]));
    expect(Object.keys(sections)).toEqual(["CRM", "Lists"]);
    expect(sections.CRM!.tables!.map((tb) => [tb.label, tb.rows.length])).toEqual([["Supporter records", 1], ["Donations", 2]]);
    expect(sections.CRM!.tables![0]!.rows[0]).toEqual({ email: "ada@example.org", full_name: "Ada Lovelace" });
    expect(sections.Lists!.lists!.map((l) => [l.list, l.name, l.role]).sort()).toEqual([
      ["alerts@lists.example.org", "Ada L.", "member"],
      ["news@lists.example.org", "Ada L.", "member"],
    ]);
    // The export is now the only copy of the rows: the tasks keep what was searched and how much was found.
    const results = t.db.select({ result: requestTasks.result }).from(requestTasks).where(eq(requestTasks.requestId, request.id)).all();
    expect(JSON.stringify(results)).not.toContain("Ada Lovelace");
    expect(JSON.stringify(results)).not.toContain("Ada L.");
    expect(requestEventsOf(t.db, reference).filter((e) => e.action === "task_done").map((e) => e.note)).toEqual(
      expect.arrayContaining(["CRM: Searched 2 tables: 3 rows found.", "Lists: Searched: the address is on 2 lists."]),
    );
  });

  it("correction: the accepted name is written to the CRM row, and to the name the list server keeps for the address and its user", async () => {
    await seed("cy@example.org", "Cy Young");
    await rest("PATCH", "addresses/cy@example.org", { display_name: "Cy Young" });
    await rest("PATCH", "users/cy@example.org", { display_name: "Cy Young" });
    const reference = fileAndApprove("correction", "cy@example.org", { changes: { name: "Cyrus Young" } });
    expect(await run()).toEqual({ done: 2, retrying: 0, stopped: 0 });
    expect(requestRow(t.db, reference).status).toBe("completed");
    expect(await sql("SELECT full_name FROM people WHERE email = $1", ["cy@example.org"])).toEqual([{ full_name: "Cyrus Young" }]);
    const named = async (resource: string) =>
      ((await (await fetch(`${mailman.restUrl}/${resource}`, { headers: { authorization: mailman.authorization } })).json()) as { display_name?: string }).display_name;
    expect(await named("addresses/cy@example.org")).toBe("Cyrus Young");
    expect(await named("users/cy@example.org")).toBe("Cyrus Young");
    const responses = t.db.select({ response: requestTasks.lastResponse }).from(requestTasks).where(eq(requestTasks.requestId, requestRow(t.db, reference).id)).all();
    expect(responses.map((r) => r.response)).toContain("Written: the name of the address and of its user.");
  });

  it("correction the CRM cannot hold: the task stops at once and is not tried again; once the column is widened, trying again writes it", async () => {
    await seed("max@example.org", "Max Short");
    await sql("ALTER TABLE people ALTER COLUMN full_name TYPE varchar(12)");
    // The map is checked afresh against the narrower column (a check made by an earlier test is not reused).
    await closeAllDrivers();
    try {
      const reference = fileAndApprove("correction", "max@example.org", { changes: { name: "Maximilian Longername" } });
      expect(await run()).toEqual({ done: 1, retrying: 0, stopped: 1 });
      const crmTask = () => t.db.select().from(requestTasks).where(eq(requestTasks.status, "open")).get()!;
      expect(crmTask()).toMatchObject({ attempts: 1, nextAttemptAt: null });
      expect(crmTask().lastResponse).toMatch(/^Stopped: The corrected name is longer than people\.full_name holds \(12 characters\); nothing was written to this system\. Trying again would fail/);
      expect(requestEventsOf(t.db, reference).filter((e) => e.action === "task_stopped").map((e) => e.note)).toEqual([
        "CRM: The corrected name is longer than people.full_name holds (12 characters); nothing was written to this system. Not tried again until staff try again or mark the task done.",
      ]);
      // An hour on, nothing is tried: the request waits for staff, not for the system.
      clock += 60 * 60_000;
      expect(await run()).toEqual({ done: 0, retrying: 0, stopped: 0 });
      expect(requestRow(t.db, reference).status).toBe("approved");

      await sql("ALTER TABLE people ALTER COLUMN full_name TYPE text");
      expect(retryStoppedTask(t.db, { reference, taskId: crmTask().id, actor: ADMIN, now: tick() })).toMatchObject({ ok: true });
      // At once: the column's new width is read afresh, not taken from the check made before it failed.
      expect(await run()).toEqual({ done: 1, retrying: 0, stopped: 0 });
      expect(requestRow(t.db, reference).status).toBe("completed");
      expect(await sql("SELECT full_name FROM people WHERE email = $1", ["max@example.org"])).toEqual([{ full_name: "Maximilian Longername" }]);
    } finally {
      await sql("ALTER TABLE people ALTER COLUMN full_name TYPE text");
    }
  });

  it("unsubscribe from lists named: the list server ends those it has, and staff read which named list it has none by", async () => {
    await seed("eli@example.org", "Eli Named");
    const { reference } = filed(
      fileVerifiedRequest(t.db, { submission: { type: "unsubscribe", email: "eli@example.org", details: { type: "unsubscribe", lists: ["news@lists.example.org", "newsletter"] } }, now: tick(), ctx }),
    );
    expect(await run()).toEqual({ done: 1, retrying: 0, stopped: 0 });
    expect(requestRow(t.db, reference).status).toBe("completed");
    expect(await listsOf("eli@example.org")).toEqual(["alerts@lists.example.org"]);
    const [task] = t.db.select({ response: requestTasks.lastResponse }).from(requestTasks).where(eq(requestTasks.requestId, requestRow(t.db, reference).id)).all();
    expect(task!.response).toBe(
      "Unsubscribed from 1 list: news@lists.example.org. The list server has no list newsletter: name lists in imports as the list server does (its list id or posting address), or that list stays as it was there.",
    );
  });

  it("unsubscribe: instant here, and complete once the list server has taken the address off every list", async () => {
    await seed("dee@example.org", "Dee Dee");
    const { reference } = filed(fileVerifiedRequest(t.db, { submission: { type: "unsubscribe", email: "dee@example.org", details: { type: "unsubscribe" } }, now: tick(), ctx }));
    // Waiting for the list server, with no staff step.
    expect(requestRow(t.db, reference).status).toBe("received");
    expect(await run()).toEqual({ done: 1, retrying: 0, stopped: 0 });
    expect(requestRow(t.db, reference).status).toBe("completed");
    expect(await listsOf("dee@example.org")).toEqual([]);
  });

  // The law's reason for keeping is "named in the reply": the email names what each connected database kept, with the
  // map's reason and years, as the signed receipt in it does, in the supporter's language.
  it.each([
    { language: "en", kept: "Donations, in CRM: Tax law. Kept for 6 years from the record’s date.", lead: "In our other systems, we keep only these records, each for the reason given:", here: "Here we keep only the records below" },
    { language: "fr", kept: "Donations, dans CRM : Tax law. Conservés 6 ans à compter de la date de l’élément.", lead: "Dans nos autres systèmes, nous ne gardons que ces éléments, chacun pour la raison indiquée :", here: "Ici, nous ne gardons que les éléments ci-dessous" },
    { language: "es", kept: "Donations, en CRM: Tax law. Se conservan 6 años desde la fecha del registro.", lead: "En nuestros otros sistemas solo conservamos estos registros, cada uno por el motivo indicado:", here: "Aquí solo conservamos los registros siguientes" },
    { language: "de", kept: "Donations, im System CRM: Tax law. Aufbewahrt für 6 Jahre ab dem Datum des Eintrags.", lead: "In unseren anderen Systemen bewahren wir nur diese Unterlagen auf, jeweils aus dem genannten Grund:", here: "Hier bewahren wir nur die folgenden Unterlagen auf" },
  ] as const)("erasure in $language: the closing email names what the CRM kept and why, beside what Rightsdesk kept", async ({ language, kept, lead, here }) => {
    const email = `kept-${language}@example.org`;
    await seed(email, "Kim Kept");
    const { reference } = filed(fileVerifiedRequest(t.db, { submission: { type: "erasure", email, details: { type: "erasure", confirmed: true }, language }, now: tick(), ctx }));
    expect(startReview(t.db, { reference, actor: ADMIN, expectedVersion: 1, now: tick() }).ok).toBe(true);
    expect(approveRequest(t.db, { reference, actor: ADMIN, expectedVersion: 2, now: tick(), ctx, confirmedErasure: true }).ok).toBe(true);
    expect(await run()).toEqual({ done: 2, retrying: 0, stopped: 0 });
    expect(requestRow(t.db, reference).status).toBe("completed");
    const mail = t.db.select().from(mailOutbox).where(and(eq(mailOutbox.requestId, requestRow(t.db, reference).id), eq(mailOutbox.kind, "completed"))).get()!;
    try {
      const text = (await renderOutboxMail(mail)).text.replace(/\s+/g, " ");
      const [body, receipt] = text.split("-----BEGIN RIGHTSDESK RECEIPT-----");
      expect(body).toContain(lead);
      expect(body).toContain(kept);
      // The list server kept nothing, and the CRM's deleted rows are not "kept".
      expect(body).not.toMatch(/Supporter records|Lists/);
      // Rightsdesk's own kept records keep their promise, now said of this portal only.
      expect(body).toContain(here);
      // The signed receipt in the same email names the same kept rows.
      expect(receipt).toContain("Kept: Donations: 1, in CRM. Tax law (kept for 6 years from given_on)");
    } finally {
      await sql("DELETE FROM gifts WHERE person_id IS NULL");
    }
  });

  it("erasure where the CRM masks its supporter rows: the email names them as kept anonymised, beside the donations kept for tax", async () => {
    const masking = CRM_MAP.replace(
      "    erase: delete\n    columns:\n      email: { category: contact, correct: email }\n      full_name: { category: contact, correct: name }",
      '    erase: mask\n    columns:\n      email: { category: contact, correct: email, erase: hash }\n      full_name: { category: contact, correct: name, erase: "null" }',
    );
    expect(masking).not.toBe(CRM_MAP);
    const crmId = t.db.select({ id: externalSystems.id }).from(externalSystems).where(eq(externalSystems.name, "CRM")).get()!.id;
    const saved = saveConnectedSystem(
      t.db,
      { id: crmId, name: "CRM", kind: "postgres", settings: { host: "127.0.0.1", port: crm.port, database: crm.database, user: crm.user, schema: "public", tls: "off" }, password: crm.password, mapText: masking },
      { key, now: tick() },
    );
    expect(saved.ok).toBe(true);
    await seed("mia@example.org", "Mia Masked");
    const reference = fileAndApprove("erasure", "mia@example.org");
    try {
      expect(await run()).toEqual({ done: 2, retrying: 0, stopped: 0 });
      const mail = t.db.select().from(mailOutbox).where(and(eq(mailOutbox.requestId, requestRow(t.db, reference).id), eq(mailOutbox.kind, "completed"))).get()!;
      const [body, receipt] = (await renderOutboxMail(mail)).text.replace(/\s+/g, " ").split("-----BEGIN RIGHTSDESK RECEIPT-----");
      expect(body).toContain(
        "In our other systems, we keep only these records, each for the reason given: Supporter records, in CRM: Kept with the details that could identify you emptied or replaced (anonymised). Donations, in CRM: Tax law. Kept for 6 years from the record’s date.",
      );
      expect(receipt).toContain("Kept: Supporter records: 1, anonymised, in CRM");
      expect(await sql("SELECT full_name FROM people WHERE full_name = $1", ["Mia Masked"])).toEqual([]);
    } finally {
      await sql("DELETE FROM gifts WHERE person_id IS NULL");
    }
  });

  it("erasure: a database that is down leaves its task open with the reason, and the request completes once it is back", async () => {
    await seed("eve@example.org", "Eve Online");
    const reference = fileAndApprove("erasure", "eve@example.org");
    await postgres.halt();
    try {
      expect(await run()).toEqual({ done: 1, retrying: 1, stopped: 0 });
      expect(requestRow(t.db, reference).status).toBe("approved");
      const open = t.db.select().from(requestTasks).where(eq(requestTasks.status, "open")).all();
      expect(open.map((task) => [task.attempts, task.lastResponse])).toEqual([[1, "Not done yet: The system refused the connection (is it running?). It will be tried again."]]);
      expect(await listsOf("eve@example.org")).toEqual([]);
      // Not due again until its backoff has passed.
      expect(await run()).toEqual({ done: 0, retrying: 0, stopped: 0 });
    } finally {
      await postgres.resume();
    }
    clock += 31_000;
    expect(await run()).toEqual({ done: 1, retrying: 0, stopped: 0 });
    expect(requestRow(t.db, reference).status).toBe("completed");
    expect(await sql("SELECT count(*)::int AS n FROM people WHERE email = $1", ["eve@example.org"])).toEqual([{ n: 0 }]);
    expect(await sql("SELECT person_id, given_on::text, amount_pence FROM gifts WHERE person_id IS NULL")).toEqual([{ person_id: null, given_on: "2025-03-01", amount_pence: 2500 }]);
    // The counts stay with the system's task; the erasure then removes the notes of the person's closed requests
    // from the log (the event stays, its words redacted on the record).
    const done = t.db.select().from(requestTasks).where(eq(requestTasks.status, "done")).all();
    expect(done.map((task) => task.lastResponse)).toContain("Supporter records: 1 deleted; Donations: 1 deleted, 1 kept (Tax law (kept for 6 years from given_on)).");
    // The signed receipt says what each system deleted and what it kept, and why: not that all it held was deleted.
    const receipt = t.db.select({ text: requestReceipts.text }).from(requestReceipts).where(eq(requestReceipts.requestId, requestRow(t.db, reference).id)).get()!.text;
    const lines = receipt.split("\n").filter((l) => /^(Deleted|Kept): /.test(l) && /, in (CRM|Lists)\b/.test(l));
    expect(lines).toEqual([
      "Deleted: Supporter records: 1, in CRM",
      "Deleted: Donations: 1, in CRM",
      "Deleted: Every list membership, and the address, in Lists",
      "Kept: Donations: 1, in CRM. Tax law (kept for 6 years from given_on)",
    ]);
    expect(receipt).not.toContain("What CRM held about the requester");
    const events = requestEventsOf(t.db, reference);
    expect(events.filter((e) => e.action === "task_done").length).toBeGreaterThan(0);
    expect(events.map((e) => e.action)).toContain("content_removed_erasure");
  });
});
