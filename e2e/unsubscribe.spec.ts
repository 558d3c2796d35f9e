import { createHash } from "node:crypto";
import { expect, requestSignInLink, test } from "./support/fixtures";
import { countRows, followLink, queryDatabase, REFERENCE, submitRequestForm } from "./support/journeys";
import { signInLink, waitForMail } from "./support/mail";
import { seedSupporterRecords } from "./support/records";

function openSubscriptions(email: string): number {
  return countRows("subscriptions s join supporters p on p.id = s.supporter_id", "p.email = ? and s.unsubscribed_at is null", email);
}

test("an unsubscribe request ends every list at once and completes by itself", async ({ page, uniqueEmail }) => {
  seedSupporterRecords({ email: uniqueEmail, lists: ["newsletter", "alerts", "appeals"] });
  expect(openSubscriptions(uniqueEmail)).toBe(3);
  const since = Date.now();
  await submitRequestForm(page, { type: "unsubscribe", email: uniqueEmail });
  const confirmation = await waitForMail({ to: uniqueEmail, subject: /^Confirm your request/, since });
  await followLink(page, signInLink(confirmation));
  await expect(page).toHaveURL(/\/requests\/RD-[^?]+\?notice=confirmed/);
  const reference = REFERENCE.exec(page.url())![0];
  await expect(page.locator("dd .status")).toHaveText(/completed/i);
  expect(openSubscriptions(uniqueEmail)).toBe(0);
  const events = queryDatabase<{ action: string; actor_type: string; to_status: string | null }>(
    "select e.action, e.actor_type, e.to_status from request_events e join requests r on r.id = e.request_id where r.reference = ? order by e.id",
    reference,
  );
  expect(events).toEqual([
    { action: "filed", actor_type: "supporter", to_status: "received" },
    { action: "completed", actor_type: "system", to_status: "completed" },
  ]);
  const done = await waitForMail({ to: uniqueEmail, subject: new RegExp(`off our mailing lists \\(${reference}\\)`), since });
  expect(done.text).toContain("3 in all");
});

test("the one-click link in a received email unsubscribes without signing in, and GET changes nothing", async ({ page, request, uniqueEmail }) => {
  seedSupporterRecords({ email: uniqueEmail, lists: ["newsletter", "alerts"] });
  // Any email to the address carries the link; asking for a sign-in link is the easiest way to get one.
  const since = await requestSignInLink(page, uniqueEmail);
  const mail = await waitForMail({ to: uniqueEmail, since });
  expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
  const link = /<(https?:\/\/[^>]+\/unsubscribe\/[^>]+)>/.exec(mail.headers["list-unsubscribe"] ?? "")?.[1];
  expect(link, `List-Unsubscribe header: ${mail.headers["list-unsubscribe"]}`).toBeTruthy();

  // A scanner following the link changes nothing; the page offers a button.
  await page.context().clearCookies();
  await page.goto(link!);
  await expect(page.getByRole("heading", { name: /Stop emails/ })).toBeVisible();
  expect(openSubscriptions(uniqueEmail)).toBe(2);

  // What a mail program does: POST the exact body, with no cookies.
  const answer = await request.post(link!, {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    data: "List-Unsubscribe=One-Click",
  });
  expect(answer.status()).toBe(200);
  expect(openSubscriptions(uniqueEmail)).toBe(0);
  const [row] = queryDatabase<{ status: string; n: number }>(
    "select status, count(*) as n from requests where subject_email = ? and type = 'unsubscribe'",
    uniqueEmail,
  );
  expect(row).toEqual({ status: "completed", n: 1 });

  // A tampered token is refused.
  const tampered = await request.post(`${link!.slice(0, -3)}xyz`, {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    data: "List-Unsubscribe=One-Click",
  });
  expect(tampered.status()).toBe(400);

  // The button on the page does the same for a person.
  await page.getByRole("button", { name: "Unsubscribe from every Harbour Trust mailing list" }).click();
  await expect(page.getByRole("heading", { name: "You are unsubscribed" })).toBeVisible();
});

test("a one-click link unsubscribes once: posted again and again it is answered the same and changes nothing", async ({ page, request, uniqueEmail }) => {
  seedSupporterRecords({ email: uniqueEmail, lists: ["newsletter"] });
  const since = await requestSignInLink(page, uniqueEmail);
  const mail = await waitForMail({ to: uniqueEmail, since });
  const link = /<(https?:\/\/[^>]+\/unsubscribe\/[^>]+)>/.exec(mail.headers["list-unsubscribe"] ?? "")?.[1] ?? "";
  const oneClick = () =>
    request.post(link, { headers: { "content-type": "application/x-www-form-urlencoded" }, data: "List-Unsubscribe=One-Click", maxRedirects: 0 });
  const state = () => ({
    requests: countRows("requests", "subject_email = ?", uniqueEmail),
    events: countRows("request_events e join requests r on r.id = e.request_id", "r.subject_email = ?", uniqueEmail),
    mails: countRows("mail_outbox", "to_address = ? and kind = 'completed'", uniqueEmail),
  });

  const first = await oneClick();
  expect(first.status()).toBe(200);
  expect(await first.text()).toBe("Unsubscribed.");
  expect(state()).toEqual({ requests: 1, events: 2, mails: 1 });
  for (let i = 0; i < 15; i++) {
    const again = await oneClick();
    expect(again.status()).toBe(200);
    expect(await again.text()).toBe("Unsubscribed.");
  }
  expect(state()).toEqual({ requests: 1, events: 2, mails: 1 });
  // Only a hash of the link's token is kept.
  const token = link.split("/unsubscribe/")[1] ?? "";
  expect(countRows("used_unsubscribe_links", "token_hash = ?", token)).toBe(0);
  expect(countRows("used_unsubscribe_links", "token_hash = ?", createHash("sha256").update(token).digest("hex"))).toBe(1);
  // A person pressing the page's button on the same link sees the same answer, and nothing more happens either.
  await page.goto(link);
  await page.getByRole("button", { name: "Unsubscribe from every Harbour Trust mailing list" }).click();
  await expect(page.getByRole("heading", { name: "You are unsubscribed" })).toBeVisible();
  expect(state()).toEqual({ requests: 1, events: 2, mails: 1 });
});
