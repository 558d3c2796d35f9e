import { expect, signedInPage, test } from "./support/fixtures";
import { fileAndConfirm, followLink, queryDatabase } from "./support/journeys";
import { signInLink, waitForMail } from "./support/mail";
import { seedSupporterRecords } from "./support/records";

function statusOf(reference: string): string | undefined {
  return queryDatabase<{ status: string }>("select status from requests where reference = ?", reference)[0]?.status;
}

/** Every table in the database, and in each the rows holding `needle` anywhere, as text. */
function tablesHolding(needle: string): Record<string, number> {
  const tables = queryDatabase<{ name: string }>("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'");
  const found: Record<string, number> = {};
  for (const { name } of tables) {
    const rows = queryDatabase<Record<string, unknown>>(`select * from "${name}"`);
    const hits = rows.filter((row) => JSON.stringify(row).toLowerCase().includes(needle.toLowerCase())).length;
    if (hits > 0) found[name] = hits;
  }
  return found;
}

test("erasure: staff see what goes and what stays, approve, and no trace of the address is left but an anonymised donation and the suppression hash", async ({
  page: supporter,
  browser,
  uniqueEmail,
}) => {
  const seeded = seedSupporterRecords({ email: uniqueEmail, name: "Erin Erasable", donations: 2 });
  const { reference } = await fileAndConfirm(supporter, { type: "erasure", email: uniqueEmail, name: "Erin Erasable" });
  expect(Object.keys(tablesHolding(uniqueEmail)).length).toBeGreaterThan(3);

  const reviewer = await signedInPage(browser, "staff@example.org");
  await reviewer.goto(`/staff/requests/${reference}`);
  const preview = reviewer.getByRole("region", { name: "What approval will erase" });
  await expect(preview.getByRole("row", { name: /Mailing-list subscriptions 2/ })).toBeVisible();
  await expect(preview.getByRole("row", { name: /Petition signatures 1/ })).toBeVisible();
  await expect(preview.getByRole("row", { name: /Donations \(amount, currency, date, method\) 2 Kept for 6 years/ })).toBeVisible();
  await reviewer.getByRole("button", { name: "Start review" }).click();
  await expect(reviewer.getByRole("status")).toHaveText("Review started.");
  // Approving erases at once: it waits for a confirmation that names what goes and what stays.
  const approve = reviewer.getByRole("button", { name: "Approve and erase" });
  await approve.click();
  await expect(reviewer.locator("main [role=alert]")).toContainText("Tick the box to confirm");
  expect(statusOf(reference)).toBe("in_review");
  const confirmation = reviewer.getByRole("checkbox", { name: /^I have checked what approval does\. Deleted at once: supporter records/ });
  await expect(confirmation).toHaveAccessibleName(/mailing-list subscriptions \(2\).*Kept: donations \(amount, currency, date, method\) \(2\)/);
  await confirmation.check();
  const since = Date.now();
  await approve.click();
  await expect(reviewer.getByRole("status")).toContainText("Approved");
  expect(statusOf(reference)).toBe("completed");

  const done = await waitForMail({ to: uniqueEmail, subject: new RegExp(`^Your request ${reference} is complete$`), since });
  expect(done.text).toContain("Kept for 6 years");

  // Once the completion email has gone, the sent copy is reduced too; then the address is nowhere.
  await expect.poll(() => tablesHolding(uniqueEmail), { timeout: 20_000 }).toEqual({});
  const donations = queryDatabase<{ supporter_id: number | null; anonymised_at: number | null; amount_minor: number; card_last4: string | null }>(
    `select supporter_id, anonymised_at, amount_minor, card_last4 from donations where id in (${seeded.donationIds.join(",")})`,
  );
  expect(donations).toHaveLength(2);
  expect(donations.every((d) => d.supporter_id === null && d.anonymised_at !== null && d.card_last4 === null)).toBe(true);
  expect(donations.map((d) => d.amount_minor).sort()).toEqual([2500, 2501]);
  const [request] = queryDatabase<{ subject_email: string; subject_name: string | null }>("select subject_email, subject_name from requests where reference = ?", reference);
  expect(request!.subject_name).toBeNull();
  const hash = request!.subject_email.replace(/^erased:/, "");
  expect(queryDatabase("select 1 from suppressions where email_hash = ?", hash)).toHaveLength(1);
  expect(tablesHolding("Erin Erasable")).toEqual({});

  // The supporter's session went with their account.
  await supporter.goto(`/requests/${reference}`);
  await expect(supporter).toHaveURL(/\/signin/);
});

test("correction: staff see each change against what is held, accept and reject field by field, and only the accepted ones are applied", async ({
  page: supporter,
  browser,
  uniqueEmail,
}) => {
  const { supporterId } = seedSupporterRecords({ email: uniqueEmail, name: "Cora Old", postalAddress: "1 Old Street\nTown", phone: "+44 20 7946 0000" });
  await supporter.goto("/new?type=correction");
  await supporter.getByLabel("New name").fill("Cora New");
  await supporter.getByLabel("New postal address").fill("2 New Road\nCity");
  await supporter.getByLabel("New phone number").fill("+44 7700 900123");
  await supporter.getByLabel("Your email address").fill(uniqueEmail);
  const since = Date.now();
  await supporter.getByRole("button", { name: "Continue" }).click();
  const confirm = await waitForMail({ to: uniqueEmail, subject: /^Confirm your request/, since });
  await followLink(supporter, signInLink(confirm));
  await expect(supporter).toHaveURL(/notice=confirmed/);
  const reference = /RD-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(supporter.url())![0];

  const reviewer = await signedInPage(browser, "staff@example.org");
  await reviewer.goto(`/staff/requests/${reference}`);
  const table = reviewer.getByRole("region", { name: "Proposed changes" }).getByRole("table");
  await expect(table.getByRole("row", { name: /Name Cora Old Cora New Not decided/ })).toBeVisible();
  await expect(table.getByRole("row", { name: /Phone number \+44 20 7946 0000 \+44 7700 900123/ })).toBeVisible();
  await reviewer.getByRole("button", { name: "Start review" }).click();
  await expect(reviewer.getByRole("status")).toHaveText("Review started.");

  // Approval waits for a decision on every field.
  await reviewer.getByRole("button", { name: "Approve" }).click();
  await expect(reviewer.getByText(/^Accept or reject every proposed change first/)).toBeVisible();
  // A refused form takes focus to what it says, as the supporter's form does.
  await expect(reviewer.getByText(/^Accept or reject every proposed change first/)).toBeFocused();

  // One form for every field, nothing chosen until staff choose; a rejection without a reason saves nothing.
  const decisions = reviewer.locator("form").filter({ has: reviewer.getByRole("button", { name: "Save decisions" }) });
  for (const field of ["Name", "Postal address", "Phone number"]) {
    const group = decisions.getByRole("group", { name: new RegExp(`^${field}: change to`) });
    await expect(group.getByRole("radio", { name: "Accept the change" })).not.toBeChecked();
    await expect(group.getByRole("radio", { name: "Reject the change" })).not.toBeChecked();
  }
  await decisions.getByRole("group", { name: /^Name: / }).getByRole("radio", { name: "Accept the change" }).check();
  await decisions.getByRole("group", { name: /^Phone number: / }).getByRole("radio", { name: "Reject the change" }).check();
  await decisions.getByRole("button", { name: "Save decisions" }).click();
  await expect(decisions).toContainText("Say why you are rejecting the change to phone number");
  // Focus moves to the form's list of what to fix, which links to the note.
  await expect(decisions.getByRole("alert")).toBeFocused();
  await decisions.getByRole("alert").getByRole("link", { name: /^Note on phone number: Say why you are rejecting the change to phone number/ }).click();
  await expect(decisions.getByLabel("Note on phone number")).toBeFocused();
  await expect(table.getByRole("row", { name: /^Name .* Not decided$/ })).toBeVisible();
  await decisions.getByLabel("Note on phone number").fill("We could not confirm that number is yours.");
  await decisions.getByRole("group", { name: /^Postal address: / }).getByRole("radio", { name: "Accept the change" }).check();
  await decisions.getByRole("button", { name: "Save decisions" }).click();
  await expect(reviewer.getByRole("status")).toHaveText("Decisions saved.");
  await expect(table.getByRole("row", { name: /^Name .* Accepted$/ })).toBeVisible();
  await expect(table.getByRole("row", { name: /^Postal address .* Accepted$/ })).toBeVisible();
  await expect(table.getByRole("row", { name: /^Phone number .* Rejected: We could not confirm/ })).toBeVisible();

  const before = Date.now();
  await reviewer.getByRole("button", { name: "Approve" }).click();
  await expect(reviewer.getByRole("status")).toContainText("Approved");
  expect(statusOf(reference)).toBe("completed");
  const [record] = queryDatabase<{ name: string; postal_address: string; phone: string }>("select name, postal_address, phone from supporters where id = ?", supporterId);
  expect(record).toEqual({ name: "Cora New", postal_address: "2 New Road\nCity", phone: "+44 20 7946 0000" });
  expect(queryDatabase("select field, decision from correction_decisions d join requests r on r.id = d.request_id where r.reference = ? order by field", reference)).toEqual([
    { field: "name", decision: "accepted" },
    { field: "phone", decision: "rejected" },
    { field: "postalAddress", decision: "accepted" },
  ]);
  const done = await waitForMail({ to: uniqueEmail, subject: new RegExp(`^Your request ${reference} is complete$`), since: before });
  expect(done.text).toMatch(/We corrected:\s+> Name\s+> Postal address/);
  // Once applied, the table still shows what was held before.
  await expect(table.getByRole("columnheader", { name: "Held before" })).toBeVisible();
  await expect(table.getByRole("row", { name: /^Name Cora Old Cora New Accepted$/ })).toBeVisible();
  expect(done.text).toContain("Phone number: We could not confirm that number is yours.");
});

test("concern: staff and supporter write to each other while it is open", async ({ page: supporter, browser, uniqueEmail }) => {
  const { reference } = await fileAndConfirm(supporter, { type: "concern", email: uniqueEmail, message: "Why did you phone me?" });
  const reviewer = await signedInPage(browser, "staff@example.org");
  await reviewer.goto(`/staff/requests/${reference}`);
  const since = Date.now();
  await reviewer.getByLabel("Message to the supporter").fill("We are checking our call logs. Which number did we call?");
  await reviewer.getByRole("button", { name: "Send message" }).click();
  await expect(reviewer.getByRole("status")).toHaveText("Message sent to the supporter.");
  const mail = await waitForMail({ to: uniqueEmail, subject: new RegExp(`message about your concern ${reference}`), since });
  expect(mail.text).toContain("Which number did we call?");

  await supporter.goto(`/requests/${reference}`);
  await expect(supporter.locator("ol.history")).toContainText("Which number did we call?");
  await supporter.getByLabel("Your message").fill("The one ending 0123.");
  await supporter.getByRole("button", { name: "Send my message" }).click();
  await expect(supporter.getByRole("status")).toContainText("Your message has been added");
  await reviewer.reload();
  await expect(reviewer.locator("ol.history")).toContainText("The one ending 0123.");

  // Each side of the thread is named: the supporter reads the organisation's staff and their own words, staff read who wrote.
  await expect(supporter.locator("ol.history li").filter({ hasText: "Which number did we call?" })).toContainText("Message from Harbour Trust staff");
  await expect(supporter.locator("ol.history li").filter({ hasText: "The one ending 0123." })).toContainText("Your message");
  await expect(reviewer.locator("ol.history li").filter({ hasText: "Which number did we call?" })).toContainText("Message to the supporter by staff@example.org");
  await expect(reviewer.locator("ol.history li").filter({ hasText: "The one ending 0123." })).toContainText("Message from the supporter");
  // Staff read the concern about the supporter, not in the supporter's voice.
  await expect(reviewer.locator("dl.facts")).toContainText("The supporter's concern");
  await expect(reviewer.locator("main")).not.toContainText("Your concern");

  // A concern is answered and closed in one step: no "Approve", no "Mark completed".
  await reviewer.getByRole("button", { name: "Start review" }).click();
  await expect(reviewer.getByRole("status")).toHaveText("Review started.");
  await expect(reviewer.getByRole("button", { name: /Approve|Mark completed/ })).toHaveCount(0);
  const answeredAt = Date.now();
  await reviewer.getByLabel("Answer to the supporter's concern").fill("We called the number you gave us in March; we have deleted it.");
  await reviewer.getByRole("button", { name: "Send the answer and close" }).click();
  await expect(reviewer.getByRole("status")).toHaveText("Answered and closed. The supporter has been emailed your answer.");
  expect(statusOf(reference)).toBe("completed");
  const answer = await waitForMail({ to: uniqueEmail, subject: new RegExp(`^Your request ${reference} is complete$`), since: answeredAt });
  expect(answer.text).toContain("we have deleted it");
});
