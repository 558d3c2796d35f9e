/**
 * The record from outside: the receipt in a closing email is checked on
 * /verify by someone not signed in, a changed receipt is refused, the public
 * key is served at its stable address, and the server anchored the log on
 * its first beat.
 */
import { expect, test } from "./support/fixtures";
import { followLink, queryDatabase, REFERENCE, submitRequestForm } from "./support/journeys";
import { signInLink, waitForMail } from "./support/mail";

/** The receipt as the supporter's mail program shows it in the text part. */
function receiptIn(text: string): string {
  const match = /-----BEGIN RIGHTSDESK RECEIPT-----[\s\S]*?-----END RIGHTSDESK RECEIPT-----/.exec(text);
  if (!match) throw new Error(`No receipt in:\n${text}`);
  return match[0];
}

test("a closed request's email carries a signed receipt that anyone can check on /verify, and one changed character is refused", async ({ page, uniqueEmail }) => {
  const since = Date.now();
  await submitRequestForm(page, { type: "unsubscribe", email: uniqueEmail });
  await followLink(page, signInLink(await waitForMail({ to: uniqueEmail, subject: /^Confirm your request/, since })));
  await expect(page).toHaveURL(/\/requests\/RD-[^?]+\?notice=confirmed/);
  const reference = REFERENCE.exec(page.url())![0];
  const done = await waitForMail({ to: uniqueEmail, subject: new RegExp(`off our mailing lists \\(${reference}\\)`), since });
  const receipt = receiptIn(done.text);
  expect(receipt).toContain(`Reference: ${reference}`);
  expect(receipt).not.toContain(uniqueEmail);
  const [closing] = queryDatabase<{ id: number }>(
    "select max(e.id) as id from request_events e join requests r on r.id = e.request_id where r.reference = ? and e.to_status = 'completed'",
    reference,
  );
  expect(receipt).toContain(`Chain position: ${closing!.id}`);
  expect(done.htmlLinks.some((link) => link.endsWith("/verify"))).toBe(true);

  // Someone else, not signed in: a regulator, say.
  await page.context().clearCookies();
  await page.goto("/verify");
  await page.getByLabel("Receipt").fill(`Forwarded by the supporter:\n\n${receipt.split("\n").map((l) => `> ${l}`).join("\n")}`);
  await page.getByRole("button", { name: "Check the receipt" }).click();
  const answer = page.getByRole("status");
  await expect(answer.getByRole("heading")).toHaveText("This receipt is genuine: Harbour Trust signed it, and nothing in it was changed since.");
  await expect(answer.locator("dd").filter({ hasText: reference })).toBeVisible();
  await expect(answer.locator("dd").filter({ hasText: "completed" }).first()).toBeVisible();

  await page.goto("/verify");
  await page.getByLabel("Receipt").fill(receipt.replace("Outcome: completed", "Outcome: completes"));
  await page.getByRole("button", { name: "Check the receipt" }).click();
  await expect(page.locator(".error-summary")).toContainText(
    "This receipt does not match its signature: something in it was changed after it was issued, or it was not issued by this organisation.",
  );
  await expect(page.getByRole("status")).toHaveCount(0);
});

test("the public key is served at a stable address, the same as the page names", async ({ page, request }) => {
  const pem = await request.get("/.well-known/rightsdesk-receipt-key.pem");
  expect(pem.status()).toBe(200);
  expect(await pem.text()).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
  const described = (await (await request.get("/api/receipts/public-key")).json()) as { keyId: string; publicKeyPem: string; algorithm: string };
  expect(described).toMatchObject({ algorithm: "Ed25519", publicKeyPem: await pem.text() });
  await page.goto("/verify");
  await expect(page.locator("code").filter({ hasText: described.keyId })).toBeVisible();
});

test("the server anchored the log on its first beat of the day, and claimed the day for it", async () => {
  const anchors = queryDatabase<{ kind: string }>("select kind from event_log_anchors where reason = 'daily'");
  expect(anchors.length).toBeGreaterThanOrEqual(1);
  expect(anchors.every((a) => a.kind === "anchor")).toBe(true);
  const runs = queryDatabase<{ job: string; outcome: string }>("select job, outcome from daily_runs where job in ('anchor', 'retention') order by day, job");
  expect(runs.slice(0, 2).map((r) => r.job)).toEqual(["anchor", "retention"]);
  expect(runs[0]!.outcome).toMatch(/^Signed the log at event \d+\.$/);
});
