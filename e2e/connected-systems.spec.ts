/**
 * A supporter whose data lives in a CiviCRM-shaped MariaDB database, a
 * PostgreSQL CRM and two Mailman lists, all real servers started here on
 * 127.0.0.1 (which the suite's server allows). An admin connects the three;
 * then access, correction, unsubscribe and erasure are carried out there,
 * and an erasure with the CRM stopped waits for it. Runs after the shared
 * and outside-systems tests (see playwright.config.ts): a connected system
 * that is switched on gives every approved request a task. Its systems are
 * switched off at the end.
 */
import mysql from "mysql2/promise";
import pg from "pg";
import type { Page } from "@playwright/test";
import { addCivicrmGroups, addCivicrmSupporter, createCivicrmTables } from "../lib/testing/civicrm-schema";
import { startMailman, startMariaDb, startPostgres, type DatabaseServer, type MailmanServer } from "../lib/testing/servers";
import { expect, signInAs, test } from "./support/fixtures";
import { fileAndConfirm, followLink, queryDatabase, updateDatabase } from "./support/journeys";
import { signInLink, waitForMail } from "./support/mail";

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
    erase: { keep: { years: 6, from: given_on, reason: "Tax law: donation records" } }
    columns:
      person_id: { category: donation, erase: "null" }
      given_on: { category: donation }
      amount_pence: { category: donation }
`;

let postgres: DatabaseServer;
let mariadb: DatabaseServer;
let mailman: MailmanServer;
const names = { crm: "", civicrm: "", lists: "" };

async function crm(sql: string, params: unknown[] = []): Promise<pg.QueryResultRow[]> {
  const client = new pg.Client(postgres.connection);
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function civicrm<T = mysql.RowDataPacket[]>(work: (c: mysql.Connection) => Promise<T>): Promise<T> {
  const c = await mysql.createConnection({ ...mariadb.connection, dateStrings: true });
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

async function mailmanRest(method: string, resource: string, body?: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${mailman.restUrl}/${resource}`, {
    method,
    headers: { authorization: mailman.authorization, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function listsOf(email: string): Promise<string[]> {
  const found = await mailmanRest("POST", "members/find", { subscriber: email });
  return ((found.body.entries as Array<{ list_id: string; email: string }> | undefined) ?? []).filter((e) => e.email === email).map((e) => e.list_id).sort();
}

/** Rows for the address in all three systems: a CRM person with a recent and an old gift, a CiviCRM contact, two lists. */
async function seedEverywhere(email: string, first: string, last: string): Promise<void> {
  await crm("INSERT INTO people (email, full_name) VALUES ($1, $2)", [email, `${first} ${last}`]);
  await crm("INSERT INTO gifts (person_id, given_on, amount_pence) SELECT id, '2025-03-01', 2500 FROM people WHERE email = $1", [email]);
  await crm("INSERT INTO gifts (person_id, given_on, amount_pence) SELECT id, '2012-03-01', 500 FROM people WHERE email = $1", [email]);
  await civicrm((c) => addCivicrmSupporter(c, { email, first, last, recentGiftOn: "2025-05-01", oldGiftOn: "2014-05-01" }));
  for (const list of ["news", "alerts"]) {
    const added = await mailmanRest("POST", "members", { list_id: `${list}.lists.example.org`, subscriber: email, pre_verified: true, pre_confirmed: true, pre_approved: true, send_welcome_message: false });
    expect(added.status).toBe(201);
  }
}

async function requestStatus(reference: string): Promise<string> {
  return queryDatabase<{ status: string }>("select status from requests where reference = ?", reference)[0]?.status ?? "";
}

/**
 * A task that failed waits its backoff (30 seconds at the first failure; its length has unit tests) before it is tried
 * again: the one open task is checked to be waiting for a next try, not stopped, and that try is brought to now in the
 * database, as the time passing would, so the test need not sit through it.
 */
function bringNextTryForward(reference: string): void {
  const open = "request_id = (select id from requests where reference = ?) and status = 'open' and next_attempt_at is not null";
  expect(updateDatabase(`update request_tasks set next_attempt_at = min(next_attempt_at, ?) where ${open}`, Date.now(), reference)).toBe(1);
}

async function approveAsStaff(staff: Page, reference: string, steps: (page: Page) => Promise<void> = async () => {}): Promise<void> {
  await staff.goto(`/staff/requests/${reference}`);
  await staff.getByRole("button", { name: "Start review" }).click();
  await expect(staff.getByRole("status")).toHaveText("Review started.");
  await steps(staff);
}

test.describe.serial("connected systems", () => {
  test.beforeAll(async () => {
    test.setTimeout(240_000);
    [postgres, mariadb, mailman] = await Promise.all([startPostgres(), startMariaDb(), startMailman()]);
    await crm(`CREATE TABLE people (id serial PRIMARY KEY, email varchar(254) NOT NULL, full_name text);
               CREATE TABLE gifts (id serial PRIMARY KEY, person_id int REFERENCES people(id), given_on date NOT NULL, amount_pence int NOT NULL)`);
    await civicrm(async (c) => {
      await createCivicrmTables(c);
      await addCivicrmGroups(c);
    });
    expect((await mailmanRest("POST", "domains", { mail_host: "lists.example.org" })).status).toBe(201);
    for (const list of ["news", "alerts"]) expect((await mailmanRest("POST", "lists", { fqdn_listname: `${list}@lists.example.org` })).status).toBe(201);
  });

  test.afterAll(async ({ browser }) => {
    // Leave the shared server as it was found: the systems switched off.
    const admin = await (await browser.newContext()).newPage();
    await signInAs(admin, "admin@example.org");
    await admin.goto("/staff/systems");
    for (const name of Object.values(names).filter(Boolean)) {
      // A system a failed test never added has nothing to switch off.
      if ((await admin.getByRole("row", { name: new RegExp(name) }).count()) === 0) continue;
      const off = admin.getByRole("button", { name: `Switch off ${name}` });
      if ((await off.count()) > 0) await off.click();
      await expect(admin.getByRole("row", { name: new RegExp(name) }).getByRole("cell", { name: "off", exact: true })).toBeVisible();
    }
    await Promise.all([postgres?.stop(), mariadb?.stop(), mailman?.stop()]);
  });

  test("an admin connects a PostgreSQL CRM, a CiviCRM database and a Mailman server, each checked before it is saved", async ({ browser, uniqueEmail }) => {
    test.setTimeout(120_000);
    const suffix = uniqueEmail.split("@")[0]!.slice(-6);
    names.crm = `People CRM ${suffix}`;
    names.civicrm = `CiviCRM ${suffix}`;
    names.lists = `Lists ${suffix}`;
    const admin = await (await browser.newContext()).newPage();
    await signInAs(admin, "admin@example.org");

    // A map naming a table the database does not have is refused, with the line.
    await admin.goto("/staff/systems/connect");
    await admin.getByLabel("Name", { exact: true }).fill(names.crm);
    await admin.getByLabel("Kind").selectOption("postgres");
    await admin.getByLabel("Host").fill("127.0.0.1");
    await admin.getByLabel("Port").fill(String(postgres.connection.port));
    await admin.getByLabel("Database").fill(postgres.connection.database);
    await admin.getByLabel("User", { exact: true }).fill(postgres.connection.user);
    await admin.getByLabel("Password").fill(postgres.connection.password);
    await admin.getByLabel("Dataset map").fill(CRM_MAP.replace("  gifts:\n", "  giftz:\n"));
    await admin.getByRole("button", { name: "Check and add" }).click();
    await expect(admin.locator("#field-map-error")).toContainText("Line 10 (tables › giftz): the table giftz does not exist in the database");
    // The password is never sent back to the page.
    await expect(admin.getByLabel("Password")).toHaveValue("");
    expect(queryDatabase("select id from external_systems where name = ?", names.crm)).toEqual([]);
    await admin.getByLabel("Password").fill(postgres.connection.password);
    await admin.getByLabel("Dataset map").fill(CRM_MAP);
    await admin.getByRole("button", { name: "Check and add" }).click();
    await expect(admin.getByRole("status").first()).toContainText(`${names.crm} added and checked.`);

    await admin.goto("/staff/systems/connect");
    await admin.getByLabel("Name", { exact: true }).fill(names.civicrm);
    await admin.getByLabel("Kind").selectOption("mysql");
    await admin.getByLabel("Host").fill("127.0.0.1");
    await admin.getByLabel("Port").fill(String(mariadb.connection.port));
    await admin.getByLabel("Database").fill(mariadb.connection.database);
    await admin.getByLabel("User", { exact: true }).fill(mariadb.connection.user);
    await admin.getByLabel("Password").fill(mariadb.connection.password);
    await admin.getByLabel(/CiviCRM/).check();
    await admin.getByRole("button", { name: "Check and add" }).click();
    await expect(admin.getByRole("status").first()).toContainText(`${names.civicrm} added and checked.`);

    await admin.goto("/staff/systems/connect");
    await admin.getByLabel("Name", { exact: true }).fill(names.lists);
    await admin.getByLabel("Kind").selectOption("mailman");
    await admin.getByLabel("REST address").fill(mailman.restUrl);
    await admin.getByLabel("User", { exact: true }).fill(mailman.restUser);
    await admin.getByLabel("Password").fill(mailman.restPassword);
    await admin.getByRole("button", { name: "Check and add" }).click();
    await expect(admin.getByRole("status").first()).toContainText(`${names.lists} added and checked.`);

    // No password is stored in the clear.
    for (const password of [postgres.connection.password, mariadb.connection.password, mailman.restPassword]) {
      expect(queryDatabase("select id from external_systems where sealed_password like ? or connection like ?", `%${password}%`, `%${password}%`)).toEqual([]);
    }

    // Test connection and a preview for one address, on the record.
    await seedEverywhere(uniqueEmail, "Pat", "Preview");
    await admin.goto("/staff/systems");
    await admin.getByRole("link", { name: names.civicrm }).click();
    await admin.waitForURL(/\/staff\/systems\/\d+$/);
    // The system's page has the security headers, and its scripts run only with that response's nonce.
    const served = await admin.reload();
    const policy = served?.headers()["content-security-policy"] ?? "";
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1] ?? "";
    expect(nonce.length).toBeGreaterThanOrEqual(16);
    const scriptSources = /script-src ([^;]*)/.exec(policy)?.[1] ?? "";
    expect(scriptSources).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
    expect(served?.headers()["x-frame-options"]).toBe("DENY");
    for (const scriptNonce of await admin.locator("script").evaluateAll((elements) => elements.map((e) => (e as HTMLScriptElement).nonce))) expect(scriptNonce).toBe(nonce);
    await admin.getByRole("button", { name: "Test connection" }).click();
    await expect(admin.getByRole("status").first()).toContainText("The map fits the database as it is now");
    await admin.getByLabel("Email address").fill(uniqueEmail);
    await admin.getByRole("button", { name: "Preview for this address" }).click();
    await expect(admin.getByTestId("preview")).toContainText("Contact record (1)");
    await expect(admin.getByTestId("preview")).toContainText("Preview");
    await admin.reload();
    await expect(admin.getByRole("heading", { name: "Recent previews" })).toBeVisible();
    const looks = queryDatabase<{ staff_email: string; address_hash: string }>("select staff_email, address_hash from system_previews");
    expect(looks.at(-1)?.staff_email).toBe("admin@example.org");
    expect(JSON.stringify(looks)).not.toContain(uniqueEmail);
  });

  test("access: the export holds a section for each of the three systems", async ({ page: supporter, browser, uniqueEmail }) => {
    test.setTimeout(120_000);
    await seedEverywhere(uniqueEmail, "Ada", "Access");
    const { reference } = await fileAndConfirm(supporter, { type: "access", email: uniqueEmail, name: "Ada Access" });
    const staff = await (await browser.newContext()).newPage();
    await signInAs(staff, "admin@example.org");
    await approveAsStaff(staff, reference, async (page) => {
      await page.getByRole("button", { name: "Approve" }).click();
      await expect(page.getByRole("status")).toContainText("Approved");
    });
    await expect.poll(() => requestStatus(reference), { timeout: 45_000 }).toBe("completed");
    await waitForMail({ to: uniqueEmail, subject: new RegExp(`^Your request ${reference} is complete$`) });
    // The supporter's readable export names and shows each system.
    const response = await supporter.request.get(`/requests/${reference}/export/html`);
    expect(response.status()).toBe(200);
    const html = await response.text();
    const doc = (await (await supporter.request.get(`/requests/${reference}/export/json`)).json()) as { version: number; connectedSystems: Array<{ system: string }> };
    expect(doc.version).toBe(4);
    expect(doc.connectedSystems.map((s) => s.system).sort()).toEqual([names.civicrm, names.crm, names.lists].sort());
    for (const name of [names.crm, names.civicrm, names.lists]) expect(html).toContain(name);
    expect(html).toContain("Besides our own records, we searched");
    expect(html).toContain("Ada Access");
    expect(html).toContain("news@lists.example.org");
  });

  test("correction: the accepted name is written to both CRM databases", async ({ page: supporter, browser, uniqueEmail }) => {
    test.setTimeout(120_000);
    await seedEverywhere(uniqueEmail, "Cora", "Oldname");
    const since = Date.now();
    await supporter.goto("/new?type=correction");
    await supporter.getByLabel("New name").fill("Cora Newname");
    await supporter.getByLabel("Your email address").fill(uniqueEmail);
    await supporter.getByRole("button", { name: "Continue" }).click();
    await followLink(supporter, signInLink(await waitForMail({ to: uniqueEmail, subject: /^Confirm your request/, since })));
    const reference = /RD-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(supporter.url())![0];
    const staff = await (await browser.newContext()).newPage();
    await signInAs(staff, "admin@example.org");
    await approveAsStaff(staff, reference, async (page) => {
      await page.getByRole("radio", { name: "Accept the change" }).check();
      await page.getByRole("button", { name: "Save decisions" }).click();
      await expect(page.getByRole("status")).toHaveText("Decisions saved.");
      await page.getByRole("button", { name: "Approve" }).click();
      await expect(page.getByRole("status")).toContainText("Approved");
    });
    await expect.poll(() => requestStatus(reference), { timeout: 45_000 }).toBe("completed");
    expect(await crm("SELECT full_name FROM people WHERE email = $1", [uniqueEmail])).toEqual([{ full_name: "Cora Newname" }]);
    const [contact] = await civicrm(async (c) => (await c.query<mysql.RowDataPacket[]>("SELECT c.first_name, c.last_name, c.display_name FROM civicrm_contact c JOIN civicrm_email e ON e.contact_id = c.id WHERE e.email = ?", [uniqueEmail]))[0]);
    expect(contact).toMatchObject({ first_name: "Cora", last_name: "Newname", display_name: "Cora Newname" });
  });

  test("correction the CRM cannot hold: its task stops, the page says so, and Try again writes it once the column is widened", async ({ page: supporter, browser, uniqueEmail }) => {
    test.setTimeout(120_000);
    await seedEverywhere(uniqueEmail, "Dora", "Short");
    await crm("ALTER TABLE people ALTER COLUMN full_name TYPE varchar(12)");
    try {
      const since = Date.now();
      await supporter.goto("/new?type=correction");
      await supporter.getByLabel("New name").fill("Dorothea Longername");
      await supporter.getByLabel("Your email address").fill(uniqueEmail);
      await supporter.getByRole("button", { name: "Continue" }).click();
      await followLink(supporter, signInLink(await waitForMail({ to: uniqueEmail, subject: /^Confirm your request/, since })));
      const reference = /RD-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(supporter.url())![0];
      const staff = await (await browser.newContext()).newPage();
      await signInAs(staff, "admin@example.org");
      await approveAsStaff(staff, reference, async (page) => {
        await page.getByRole("radio", { name: "Accept the change" }).check();
        await page.getByRole("button", { name: "Save decisions" }).click();
        await expect(page.getByRole("status")).toHaveText("Decisions saved.");
        await page.getByRole("button", { name: "Approve" }).click();
        await expect(page.getByRole("status")).toContainText("Approved");
      });
      // The CRM refuses the name; the other systems take it. The CRM's task is not tried again by itself.
      await expect
        .poll(() => queryDatabase<{ n: number }>("select count(*) as n from request_tasks t join requests r on r.id = t.request_id where r.reference = ? and t.status = 'open' and t.next_attempt_at is null and t.attempts = 1", reference)[0]!.n, { timeout: 45_000 })
        .toBe(1);
      await staff.reload();
      const crmRow = staff.getByRole("row", { name: new RegExp(names.crm) });
      await expect(crmRow).toContainText("open, stopped after 1 attempt: not tried again by itself");
      await expect(crmRow).toContainText(/Stopped: The (corrected name is longer than people\.full_name holds \(12 characters\)|database refused a value longer than its column holds)/);
      await expect(staff.getByText(`${names.crm} stopped: trying again would fail the same way`)).toBeVisible();
      expect(await requestStatus(reference)).toBe("approved");

      await crm("ALTER TABLE people ALTER COLUMN full_name TYPE text");
      await staff.getByLabel("Stopped outside system to try again").selectOption({ label: names.crm });
      await staff.getByRole("button", { name: "Try again" }).click();
      await expect(staff.getByRole("status")).toHaveText("The task will be tried again shortly; this page shows its answer.");
      await expect.poll(() => requestStatus(reference), { timeout: 45_000 }).toBe("completed");
      expect(await crm("SELECT full_name FROM people WHERE email = $1", [uniqueEmail])).toEqual([{ full_name: "Dorothea Longername" }]);
    } finally {
      await crm("ALTER TABLE people ALTER COLUMN full_name TYPE text");
    }
  });

  test("unsubscribe: no staff step, and Mailman no longer lists the address", async ({ page: supporter, uniqueEmail }) => {
    test.setTimeout(120_000);
    await seedEverywhere(uniqueEmail, "Una", "Subscribe");
    expect(await listsOf(uniqueEmail)).toEqual(["alerts.lists.example.org", "news.lists.example.org"]);
    // An unsubscribe sends no receipt: the one email says it is done.
    const since = Date.now();
    await supporter.goto("/new?type=unsubscribe");
    await supporter.getByLabel("Your email address").fill(uniqueEmail);
    await supporter.getByRole("button", { name: "Continue" }).click();
    await followLink(supporter, signInLink(await waitForMail({ to: uniqueEmail, subject: /^Confirm your request/, since })));
    const reference = /RD-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(supporter.url())![0];
    await expect.poll(() => requestStatus(reference), { timeout: 45_000 }).toBe("completed");
    expect(await listsOf(uniqueEmail)).toEqual([]);
    const [contact] = await civicrm(async (c) => (await c.query<mysql.RowDataPacket[]>("SELECT c.is_opt_out FROM civicrm_contact c JOIN civicrm_email e ON e.contact_id = c.id WHERE e.email = ?", [uniqueEmail]))[0]);
    expect(contact).toMatchObject({ is_opt_out: 1 });
    await waitForMail({ to: uniqueEmail, subject: /You are off our mailing lists/ });
  });

  test("unsubscribe with Mailman stopped: it waits, and nobody can refuse, close or withdraw it; it completes once Mailman is back", async ({ browser, uniqueEmail }) => {
    test.setTimeout(150_000);
    await seedEverywhere(uniqueEmail, "Wai", "Ting");
    const supporter = await (await browser.newContext()).newPage();
    await signInAs(supporter, uniqueEmail);
    await mailman.halt();
    let reference = "";
    try {
      await supporter.goto("/new?type=unsubscribe");
      await supporter.getByRole("button", { name: "Send my request" }).click();
      await supporter.waitForURL(/\/requests\/RD-/);
      reference = /RD-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec(supporter.url())![0];
      await expect
        .poll(() => queryDatabase<{ last_response: string | null }>("select t.last_response from request_tasks t join requests r on r.id = t.request_id join external_systems s on s.id = t.system_id where r.reference = ? and s.kind = 'mailman'", reference), { timeout: 30_000 })
        .toEqual([{ last_response: "Not done yet: The system refused the connection (is it running?). It will be tried again." }]);
      expect(await requestStatus(reference)).toBe("received");
      // The person cannot withdraw it: their lists here already ended, and only the list server's answer remains.
      await supporter.reload();
      await expect(supporter.getByRole("button", { name: "Cancel this request" })).toHaveCount(0);
      const staff = await (await browser.newContext()).newPage();
      await signInAs(staff, "admin@example.org");
      await staff.goto(`/staff/requests/${reference}`);
      await expect(staff.getByText(/An objection to direct marketing needs no staff step and cannot be refused or closed/)).toBeVisible();
      // Due at once, as the supporter is told; the month is named as the legal limit, not as when it is due.
      await expect(staff.getByRole("definition").filter({ hasText: "At once, on receipt" })).toContainText(/waits only for the connected list servers\. The legal limit is \d{1,2} \w+ \d{4} \(\d+ days? left\)\./);
      for (const name of ["Start review", "Refuse the request", "Close the request", "Extend and tell the supporter"]) {
        await expect(staff.getByRole("button", { name })).toHaveCount(0);
      }
    } finally {
      await mailman.resume();
    }
    // Tried again after its backoff, and the request completes with the address off every list there.
    bringNextTryForward(reference);
    await expect.poll(() => requestStatus(reference), { timeout: 90_000, intervals: [2_000] }).toBe("completed");
    expect(await listsOf(uniqueEmail)).toEqual([]);
  });

  test("erasure: counted before approval; with the CRM stopped it waits, then completes, and the address is found nowhere", async ({ page: supporter, browser, uniqueEmail }) => {
    test.setTimeout(180_000);
    await seedEverywhere(uniqueEmail, "Eve", "Erase");
    const { reference } = await fileAndConfirm(supporter, { type: "erasure", email: uniqueEmail, name: "Eve Erase" });
    const staff = await (await browser.newContext()).newPage();
    await signInAs(staff, "admin@example.org");
    await approveAsStaff(staff, reference);
    // The dry run, per system and table, before anything is erased.
    await staff.reload();
    const counted = staff.getByTestId("connected-erasure");
    await expect(counted.filter({ hasText: names.crm })).toContainText("Donations");
    await expect(counted.filter({ hasText: names.civicrm })).toContainText("Contributions");
    await expect(staff.getByText(new RegExp(`${names.lists}: 2 list memberships to remove`))).toBeVisible();

    await postgres.halt();
    try {
      await staff.getByRole("checkbox", { name: /^I have checked what approval does/ }).check();
      await staff.getByRole("button", { name: "Approve and erase" }).click();
      await expect(staff.getByRole("status")).toContainText("Approved");
      // CiviCRM and Mailman answer; the stopped CRM leaves its task open with the reason, and the request open.
      await expect
        .poll(() => queryDatabase<{ last_response: string | null }>("select t.last_response from request_tasks t join requests r on r.id = t.request_id where r.reference = ? and t.status = 'open'", reference), { timeout: 30_000 })
        .toEqual([{ last_response: "Not done yet: The system refused the connection (is it running?). It will be tried again." }]);
      expect(await requestStatus(reference)).toBe("approved");
      expect(await listsOf(uniqueEmail)).toEqual([]);
    } finally {
      await postgres.resume();
    }
    // Tried again after its backoff, and the request completes.
    bringNextTryForward(reference);
    await expect.poll(() => requestStatus(reference), { timeout: 90_000, intervals: [2_000] }).toBe("completed");

    // A search of every text column of every table of both databases: the address is nowhere.
    const pgColumns = await crm("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND data_type IN ('text', 'character varying')");
    for (const { table_name, column_name } of pgColumns) {
      const hits = await crm(`SELECT 1 FROM ${pg.escapeIdentifier(table_name)} WHERE ${pg.escapeIdentifier(column_name)} ILIKE $1`, [`%${uniqueEmail}%`]);
      expect(hits, `${table_name}.${column_name}`).toEqual([]);
    }
    const myColumns = await civicrm(async (c) => (await c.query<mysql.RowDataPacket[]>("SELECT TABLE_NAME AS t, COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND DATA_TYPE IN ('varchar', 'text', 'longtext')"))[0]);
    for (const { t, c } of myColumns) {
      const [hits] = await civicrm(async (conn) => conn.query<mysql.RowDataPacket[]>(`SELECT 1 FROM ${mysql.escapeId(String(t))} WHERE ${mysql.escapeId(String(c))} LIKE ?`, [`%${uniqueEmail}%`]));
      expect(hits, `${String(t)}.${String(c)}`).toEqual([]);
    }
    // What the keep rules keep: the recent gift and contribution, with no link to the person.
    expect(await crm("SELECT person_id, amount_pence FROM gifts WHERE given_on = '2025-03-01' AND person_id IS NULL")).toEqual(expect.arrayContaining([{ person_id: null, amount_pence: 2500 }]));
  });
});
