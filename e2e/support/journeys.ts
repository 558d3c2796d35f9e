/**
 * The steps tests repeat: filing a request through the real form and
 * confirming it with the link the real SMTP server received.
 */
import Database from "better-sqlite3";
import { expect, type Page } from "@playwright/test";
import { harnessEnv } from "./env";
import { signInLink, waitForMail, type Mail } from "./mail";

export const REFERENCE = /RD-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}/;

/**
 * What a person does with an emailed sign-in or confirmation link: opens it,
 * then presses the one button on the page it opens (opening it changes
 * nothing). Resolves once the button's answer has loaded, wherever it led.
 */
export async function followLink(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await page.getByRole("button", { name: /^(Confirm my request|Sign me in)$/ }).click();
  await page.waitForURL((url) => url.pathname !== "/signin/link");
}

/** Fills the request form for `type` (starting from /new) and submits it. */
export async function submitRequestForm(
  page: Page,
  input: { type: "access" | "correction" | "erasure" | "unsubscribe" | "concern"; email?: string; name?: string; message?: string },
): Promise<void> {
  await page.goto(`/new?type=${input.type}`);
  if (input.type === "concern") await page.getByLabel("Your concern").fill(input.message ?? "Please explain how you use my data.");
  if (input.type === "erasure") await page.getByLabel(/I want you to delete/).check();
  if (input.type === "correction") await page.getByLabel("New postal address").fill("1 New Street\nHarbourtown");
  if (input.name) await page.getByLabel("Your name (optional)").fill(input.name);
  if (input.email) {
    await page.getByLabel("Your email address").fill(input.email);
    await page.getByRole("button", { name: "Continue" }).click();
  } else {
    await page.getByRole("button", { name: "Send my request" }).click();
  }
}

/** Files a request as a signed-out visitor and follows the emailed link; returns its reference and the mails. */
export async function fileAndConfirm(
  page: Page,
  input: { type: "access" | "correction" | "erasure" | "unsubscribe" | "concern"; email: string; name?: string; message?: string },
): Promise<{ reference: string; confirmation: Mail; receipt: Mail }> {
  const since = Date.now();
  await submitRequestForm(page, input);
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  const confirmation = await waitForMail({ to: input.email, subject: /^Confirm your request/, since });
  await followLink(page, signInLink(confirmation));
  await expect(page).toHaveURL(/\/requests\/RD-[^?]+\?notice=confirmed/);
  const reference = REFERENCE.exec(page.url())?.[0];
  if (!reference) throw new Error(`No reference in ${page.url()}`);
  const receipt = await waitForMail({ to: input.email, subject: new RegExp(`received your request ${reference}`), since });
  return { reference, confirmation, receipt };
}

/** Reads the test server's database directly, to prove what was (not) stored. */
export function queryDatabase<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(harnessEnv("E2E_DB_PATH"), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Changes the test server's database directly: only to set up what no page can (e.g. an expired link). */
export function updateDatabase(sql: string, ...params: unknown[]): number {
  const db = new Database(harnessEnv("E2E_DB_PATH"), { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    return db.prepare(sql).run(...params).changes;
  } finally {
    db.close();
  }
}

export function countRows(table: string, where = "1 = 1", ...params: unknown[]): number {
  const [row] = queryDatabase<{ n: number }>(`select count(*) as n from ${table} where ${where}`, ...params);
  return row?.n ?? 0;
}

export type OutboxRow = { to_address: string; kind: string; status: string };

/**
 * Waits until no outbox row matching `where` (over `mail_outbox o left join
 * requests r`) is still to be sent, and returns those rows. The SMTP sink
 * stores a message before it answers, so by then every message sent has
 * arrived; and a row marked sent is never picked up again, so what has
 * arrived is all that will. This is how a test shows that nothing more comes.
 */
export async function waitUntilSent(where: string, ...params: unknown[]): Promise<OutboxRow[]> {
  const rows = () =>
    queryDatabase<OutboxRow>(
      `select o.to_address, o.kind, o.status from mail_outbox o left join requests r on r.id = o.request_id where ${where} order by o.id`,
      ...params,
    );
  await expect
    .poll(() => rows().filter((row) => row.status !== "sent"), { message: `outbox rows where ${where} still to be sent`, timeout: 20_000 })
    .toEqual([]);
  return rows();
}

/** "22 December 2026": how pages and mail show a calendar date. */
export function longDate(isoDate: string): string {
  const [y, m, d] = isoDate.split("-").map(Number);
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)),
  );
}

/** Today plus one calendar month in UTC, clamped to the month's end: the gdpr due date. */
export function oneMonthFromTodayUtc(): string {
  const now = new Date();
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth() + 1;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const due = new Date(Date.UTC(y, m, Math.min(now.getUTCDate(), lastDay)));
  return due.toISOString().slice(0, 10);
}
