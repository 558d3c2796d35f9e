/**
 * Tests that take the SMTP server down or restart the app. They run in the
 * "alone" project (playwright.config.ts): after every other test, one at a
 * time, because every other test needs the server up.
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { seriousViolations } from "./support/axe";
import type { Page } from "@playwright/test";
import { expect, requestSignInLink, signedInPage, test } from "./support/fixtures";
import { harnessEnv } from "./support/env";
import { countRows, followLink, queryDatabase, REFERENCE, submitRequestForm, waitUntilSent } from "./support/journeys";
import { expectWellFormedMail, mailsTo, signInLink, waitForMail, type Mail } from "./support/mail";
import { mailWorkerLogPath, restartServer, serverLog, startMailWorker } from "./support/server";
import { acceptSmtp, refuseSmtp } from "./support/smtp-control";

test.describe.configure({ mode: "serial", timeout: 150_000 });

const STAFF = ["admin@example.org", "staff@example.org"];

function storedMessageId(to: string, kind: string, reference?: string): string | undefined {
  return queryDatabase<{ message_id: string }>(
    `select o.message_id from mail_outbox o left join requests r on r.id = o.request_id
     where o.to_address = ? and o.kind = ? and (? is null or r.reference = ?)`,
    to,
    kind,
    reference ?? null,
    reference ?? null,
  )[0]?.message_id;
}

test("while the mail server refuses connections a supporter files and confirms a request; nothing arrives, nothing is lost, and once it is back every message arrives exactly once", async ({
  page,
  browser,
  uniqueEmail,
}) => {
  const base = harnessEnv("E2E_BASE_URL");
  // The admin signs in while mail still flows.
  const admin = await signedInPage(browser, "admin@example.org");
  // ...and the worker has heard the mail server accept it: the sink has the message before the worker has the reply.
  await expect.poll(() => countRows("mail_outbox", "to_address = ? and status <> 'sent'", "admin@example.org"), { timeout: 15_000 }).toBe(0);
  const since = Date.now();
  await refuseSmtp();
  let link = "";
  let reference = "";
  try {
    await submitRequestForm(page, { type: "access", email: uniqueEmail });
    await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();

    // The worker tries, and the server refuses.
    const confirmation = () =>
      queryDatabase<{ attempts: number; last_error: string | null; props: string | null }>(
        "select attempts, last_error, props from mail_outbox where to_address = ? and kind = 'confirm-request'",
        uniqueEmail,
      )[0];
    await expect.poll(() => confirmation()?.attempts ?? 0, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(confirmation()?.last_error).toMatch(/ECONNREFUSED/);

    // The supporter cannot get the link by mail, so the test takes it from the outbox.
    link = (JSON.parse(confirmation()?.props ?? "{}") as { link?: string }).link ?? "";
    expect(link.startsWith(`${base}/signin/link?`)).toBe(true);
    await followLink(page, link);
    await expect(page).toHaveURL(/\/requests\/RD-[^?]+\?notice=confirmed/);
    reference = REFERENCE.exec(page.url())?.[0] ?? "";

    // The confirmation, the receipt and both staff notices fail MAIL_MAX_ATTEMPTS (3) times and are marked failed;
    // the admins' alert is queued.
    const mine = "(o.to_address = ? or r.reference = ?)";
    const failed = () => countRows("mail_outbox o left join requests r on r.id = o.request_id", `o.status = 'failed' and ${mine}`, uniqueEmail, reference);
    await expect.poll(failed, { timeout: 30_000 }).toBe(4);
    await expect.poll(() => countRows("mail_outbox", "kind = 'failed-mail-alert'"), { timeout: 10_000 }).toBe(1);

    // Nothing has arrived.
    expect(await mailsTo(uniqueEmail)).toEqual([]);
    for (const staff of STAFF) expect((await mailsTo(staff)).filter((m) => m.subject.includes(reference) || m.receivedAt >= since)).toEqual([]);

    // The admin sees each failed message, with a retry button.
    await admin.goto("/staff/mail");
    const row = admin.getByRole("row").filter({ hasText: `We have received your request ${reference}` });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("ECONNREFUSED");
    await expect(row.getByRole("button", { name: /^Retry/ })).toBeVisible();
    expect(await seriousViolations(admin), "the mail page with a failed message").toEqual([]);
  } finally {
    await acceptSmtp();
  }

  // The server is back: the admin asks for everything at once (the worker would get there within MAIL_RETRY_MAX_SECONDS anyway).
  await admin.getByRole("button", { name: /^Retry all/ }).click();
  await expect(admin.getByRole("status")).toContainText("being sent again");

  const confirmation = await waitForMail({ to: uniqueEmail, subject: /^Confirm your request to Harbour Trust$/, since });
  expectWellFormedMail(confirmation, { links: [link] });
  expect(signInLink(confirmation)).toBe(link);
  const receipt = await waitForMail({ to: uniqueEmail, subject: new RegExp(`^We have received your request ${reference}$`), since });
  expectWellFormedMail(receipt, { reference, links: [`${base}/requests/${reference}`] });
  const notices: Mail[] = [];
  for (const staff of STAFF) {
    const notice = await waitForMail({ to: staff, subject: new RegExp(`^New request: ${reference} `), since });
    expectWellFormedMail(notice, { reference, links: [`${base}/staff/requests/${reference}`], toStaff: true });
    notices.push(notice);
  }
  const alert = await waitForMail({ to: "admin@example.org", subject: /could not be delivered$/, since });
  expectWellFormedMail(alert, { links: [`${base}/staff/mail`], toStaff: true });
  // The alert went out at the first failure (the confirmation); the rest wait for the next alert, an hour on, or the dashboard.
  expect(alert.text).toContain("Confirm your request to Harbour Trust");
  expect(alert.text).toContain("ECONNREFUSED");

  // Exactly once each, with the Message-ID it was given when queued: one row for each recipient and kind, all sent,
  // so nothing more can come.
  const rows = await waitUntilSent("o.to_address = ? or r.reference = ? or o.kind = 'failed-mail-alert'", uniqueEmail, reference);
  expect(rows.map((row) => `${row.to_address} ${row.kind}`).sort()).toEqual(
    [
      `${uniqueEmail} confirm-request`,
      `${uniqueEmail} receipt`,
      "admin@example.org new-request",
      "staff@example.org new-request",
      "admin@example.org failed-mail-alert",
    ].sort(),
  );
  expect((await mailsTo(uniqueEmail)).map((m) => m.subject).sort()).toEqual(
    ["Confirm your request to Harbour Trust", `We have received your request ${reference}`].sort(),
  );
  for (const staff of STAFF) expect((await mailsTo(staff)).filter((m) => m.subject.includes(reference))).toHaveLength(1);
  expect((await mailsTo("admin@example.org")).filter((m) => /could not be delivered$/.test(m.subject))).toHaveLength(1);
  expect(receipt.messageId).toBe(storedMessageId(uniqueEmail, "receipt"));
  expect(confirmation.messageId).toBe(storedMessageId(uniqueEmail, "confirm-request"));
  for (const [i, staff] of STAFF.entries()) expect(notices[i]!.messageId).toBe(storedMessageId(staff, "new-request", reference));
  expect(countRows("mail_outbox", "status <> 'sent'")).toBe(0);

  await admin.reload();
  await expect(admin.locator("main")).toContainText("No failed messages.");
});

test("a restart between queueing and sending loses nothing, and a separate mail worker next to the server's sends nothing twice", async ({ page }) => {
  const people = [1, 2, 3].map((n) => `restart-${n}-${randomBytes(4).toString("hex")}@example.org`);
  const inList = `(${people.map(() => "?").join(", ")})`;
  const since = Date.now();
  await refuseSmtp();
  let worker: ReturnType<typeof startMailWorker> | null = null;
  try {
    for (const email of people) {
      await requestSignInLink(page, email);
      await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
    }
    await expect.poll(() => countRows("mail_outbox", `kind = 'sign-in' and attempts > 0 and to_address in ${inList}`, ...people), { timeout: 20_000 }).toBe(3);

    await restartServer();
    worker = startMailWorker();
    const log = worker.logPath;
    await expect.poll(() => readFile(log, "utf8").catch(() => ""), { timeout: 20_000 }).toContain("[mail] worker started");
    // Still queued, none sent, none lost.
    expect(countRows("mail_outbox", `kind = 'sign-in' and status <> 'sent' and to_address in ${inList}`, ...people)).toBe(3);
    for (const email of people) expect(await mailsTo(email)).toEqual([]);
  } finally {
    await acceptSmtp();
  }

  try {
    for (const email of people) {
      const mail = await waitForMail({ to: email, subject: /^Your sign-in link for Harbour Trust$/, since, timeoutMs: 20_000 });
      const link = signInLink(mail);
      expectWellFormedMail(mail, { links: [link] });
      expect(mail.messageId).toBe(storedMessageId(email, "sign-in"));
    }
    // One row each, all sent: nothing more can come, from the server's worker or the separate one.
    expect((await waitUntilSent(`o.kind = 'sign-in' and o.to_address in ${inList}`, ...people)).map((row) => row.to_address).sort()).toEqual([...people].sort());
    for (const email of people) expect(await mailsTo(email)).toHaveLength(1);
    // The links still work after the restart.
    const [first] = await mailsTo(people[0]!);
    await followLink(page, signInLink(first!));
    await expect(page).toHaveURL(/\/requests$/);
  } finally {
    await worker?.stop();
  }
});

/** Records a request by post through the staff form, as arriving on `receivedOn`; returns its reference. */
async function recordByPost(staff: Page, input: { email: string; receivedOn: string }): Promise<string> {
  await staff.goto("/staff/requests/new");
  await staff.getByLabel("By post").check();
  await staff.getByLabel("Date it arrived").fill(input.receivedOn);
  await staff.getByLabel("How you checked the requester's identity").fill("Signed letter; the address matches our records.");
  await staff.getByRole("radio", { name: /See my data/ }).check();
  await staff.getByLabel("The requester's email address").fill(input.email);
  await staff.getByRole("button", { name: "Record the request" }).click();
  await expect(staff.getByRole("status")).toContainText("Request recorded");
  return REFERENCE.exec(staff.url())?.[0] ?? "";
}

function daysAgoUtc(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

test("the daily digest reaches every staff member once, with the overdue and the due within 7 days; with MAIL_WORKER=separate only the separate worker sends", async ({
  browser,
  uniqueEmail,
}) => {
  const reviewer = await signedInPage(browser, "staff@example.org");
  // One month from 40 days ago is past; one month from 26 days ago is 2 to 5 days ahead.
  const overdue = await recordByPost(reviewer, { email: uniqueEmail, receivedOn: daysAgoUtc(40) });
  // A second address: one supporter may have only one open request of a type.
  const soon = await recordByPost(reviewer, { email: `soon-${uniqueEmail}`, receivedOn: daysAgoUtc(26) });
  expect(countRows("staff_digests")).toBe(0);

  const since = Date.now();
  // A server that starts a worker says where it delivers to; the one started by global setup did.
  const WORKER_STARTED = "[mail] delivering to ";
  const logBefore = await serverLog();
  expect(logBefore).toContain(WORKER_STARTED);
  const sinceRestart = async () => (await serverLog()).slice(logBefore.length);
  // The suite runs with DIGEST_HOUR=off; at hour 0 today's digest is due at once. This server only queues mail.
  await restartServer({ env: { DIGEST_HOUR: "0", MAIL_WORKER: "separate" } });
  await expect.poll(sinceRestart).toContain("MAIL_WORKER=separate: this server queues mail");
  // It says so where it would otherwise have started its worker, so it has none: nothing here can queue the digest.
  expect(await sinceRestart()).not.toContain(WORKER_STARTED);
  expect(countRows("staff_digests")).toBe(0);

  const workerLogBefore = await readFile(mailWorkerLogPath(), "utf8").catch(() => "");
  const worker = startMailWorker();
  try {
    await expectDigests({ since, overdue, soon, uniqueEmail });
    // The separate worker queued the digest, and this server did not.
    expect((await readFile(worker.logPath, "utf8")).slice(workerLogBefore.length)).toContain("[mail] daily digest for ");
    expect(await sinceRestart()).not.toContain("[mail] daily digest for ");
    expect(await sinceRestart()).not.toContain(WORKER_STARTED);
  } finally {
    await worker.stop();
    // Restarts keep changed settings: put back the suite's own, so later projects have a server that sends mail.
    await restartServer({ env: { DIGEST_HOUR: "off", MAIL_WORKER: null } });
  }
});

async function expectDigests(input: { since: number; overdue: string; soon: string; uniqueEmail: string }): Promise<void> {
  const { since, overdue, soon, uniqueEmail } = input;
  const base = harnessEnv("E2E_BASE_URL");
  for (const staff of STAFF) {
    // Earlier tests leave requests of their own in the shared database, so the counts are at least this test's two.
    const digest = await waitForMail({ to: staff, subject: /^Requests needing attention at Harbour Trust: [1-9]\d* overdue, [1-9]\d* due within 7 days$/, since, timeoutMs: 20_000 });
    expectWellFormedMail(digest, {
      reference: overdue,
      links: [`${base}/staff/requests/${overdue}`, `${base}/staff/requests/${soon}`, `${base}/staff`],
      toStaff: true,
    });
    expect(digest.text).toMatch(new RegExp(`${overdue} .*days? overdue`));
    expect(digest.text).toMatch(new RegExp(`${soon} .*days? left`));
    expect(digest.text).not.toContain(uniqueEmail);
  }
  // One row for each staff member, all sent: nothing more can come.
  const rows = await waitUntilSent("o.kind = 'daily-digest'");
  expect(rows.map((row) => row.to_address).filter((to) => STAFF.includes(to)).sort()).toEqual([...STAFF].sort());
  for (const staff of STAFF) expect((await mailsTo(staff)).filter((m) => m.subject.startsWith("Requests needing attention"))).toHaveLength(1);
  const digests = queryDatabase<{ day: string; recipients: number; requests: number }>("select day, recipients, requests from staff_digests");
  expect(digests).toHaveLength(1);
  expect(digests[0]?.day).toBe(new Date().toISOString().slice(0, 10));
  expect(digests[0]?.recipients).toBeGreaterThanOrEqual(STAFF.length);
  expect(digests[0]?.requests).toBeGreaterThanOrEqual(2);
}
