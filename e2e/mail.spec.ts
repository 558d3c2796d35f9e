/**
 * The notifications not already read in the supporter and workflow specs,
 * each read back from the SMTP server, and the admins' mail page.
 */
import { harnessEnv } from "./support/env";
import { expect, requestSignInLink, signedInPage, test } from "./support/fixtures";
import { fileAndConfirm, followLink, queryDatabase, waitUntilSent } from "./support/journeys";
import { expectWellFormedMail, mailsTo, signInLink, waitForMail } from "./support/mail";


test("the sign-in email: both parts, the organisation, and a link that signs in", async ({ page, uniqueEmail }) => {
  const since = await requestSignInLink(page, uniqueEmail);
  const mail = await waitForMail({ to: uniqueEmail, subject: /^Your sign-in link for Harbour Trust$/, since });
  const link = signInLink(mail);
  expectWellFormedMail(mail, { links: [link] });
  expect(mail.text).toContain("expires in 30 minutes");
  expect(mail.headers["reply-to"]).toBe("privacy@harbour-trust.example.org");
  // Once sent, the stored copy no longer holds the link. The SMTP server has the message a moment before the worker
  // records it as sent (and drops the link in the same statement), so that moment is waited for.
  await waitUntilSent("o.to_address = ? and o.kind = 'sign-in'", uniqueEmail);
  const [stored] = queryDatabase<{ text_body: string; props: string | null; message_id: string }>(
    "select text_body, props, message_id from mail_outbox where to_address = ? and kind = 'sign-in'",
    uniqueEmail,
  );
  expect(stored?.message_id).toBe(mail.messageId);
  expect(stored?.props).toBeNull();
  expect(stored?.text_body).not.toContain("token=");
  await followLink(page, link);
  await expect(page).toHaveURL(/\/requests$/);
});

test("every staff member hears of a new request, by reference only, with a link to it", async ({ page, uniqueEmail }) => {
  const since = Date.now();
  const { reference } = await fileAndConfirm(page, { type: "erasure", email: uniqueEmail, name: "Grace <b>Hopper</b>" });
  const STAFF = ["admin@example.org", "staff@example.org"];
  for (const staff of STAFF) {
    const notice = await waitForMail({ to: staff, subject: new RegExp(`^New request: ${reference} \\(Delete my data\\)$`), since });
    expectWellFormedMail(notice, { reference, links: [`${harnessEnv("E2E_BASE_URL")}/staff/requests/${reference}`], toStaff: true });
    expect(notice.text).toContain("Came by: the web form");
    for (const part of [notice.text, notice.html, notice.subject]) {
      expect(part).not.toContain(uniqueEmail);
      expect(part).not.toContain("Hopper");
    }
  }
  // One each, not one per worker round: one notice queued for each, and once both are sent nothing more can come.
  const notices = await waitUntilSent("r.reference = ? and o.kind = 'new-request' and o.to_address in (?, ?)", reference, ...STAFF);
  expect(notices.map((n) => n.to_address).sort()).toEqual(STAFF);
  for (const staff of STAFF) {
    expect((await mailsTo(staff)).filter((m) => m.subject.includes(reference))).toHaveLength(1);
  }
});

test("a request staff close without acting: the supporter is told why and of their right to complain", async ({ page: supporter, browser, uniqueEmail }) => {
  const { reference } = await fileAndConfirm(supporter, { type: "access", email: uniqueEmail });
  const reviewer = await signedInPage(browser, "staff@example.org");
  await reviewer.goto(`/staff/requests/${reference}`);
  const since = Date.now();
  const reason = 'A duplicate of RD-AAAA-BBBB, which we are handling. <script>alert(1)</script> "><img src=x onerror=alert(1)>';
  await reviewer.getByLabel("Reason for closing").fill(reason);
  await reviewer.getByRole("button", { name: "Close the request" }).click();
  await expect(reviewer.getByRole("status")).toBeVisible();

  const mail = await waitForMail({ to: uniqueEmail, subject: new RegExp(`^Your request ${reference} has been closed$`), since });
  expectWellFormedMail(mail, { reference, links: [`${harnessEnv("E2E_BASE_URL")}/requests/${reference}`] });
  expect(mail.text).toContain(reason);
  expect(mail.text).toContain("supervisory authority");
  expect(mail.html).not.toContain("<script>");
  expect(mail.html).not.toContain("<img src=x");
  expect(mail.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
});

test("only admins reach the undelivered-mail page", async ({ browser }) => {
  const admin = await signedInPage(browser, "admin@example.org");
  await admin.goto("/staff");
  await admin.getByRole("navigation", { name: "Staff" }).getByRole("link", { name: "Mail" }).click();
  await expect(admin.getByRole("heading", { level: 1, name: "Undelivered mail" })).toBeVisible();
  await expect(admin.locator("main")).toContainText("waiting to be sent");

  const reviewer = await signedInPage(browser, "staff@example.org");
  await reviewer.goto("/staff");
  await expect(reviewer.getByRole("navigation", { name: "Staff" }).getByRole("link", { name: "Mail" })).toHaveCount(0);
  const response = await reviewer.goto("/staff/mail");
  expect(response?.status()).toBe(404);
  await expect(reviewer.getByRole("heading", { name: "Undelivered mail" })).toHaveCount(0);
});
