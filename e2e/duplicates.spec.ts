/**
 * The same person asking twice: a request recorded by staff for an address
 * that already has an open erasure is flagged on both, found by the queue's
 * filter, merged into the earlier one, and closed with it; the supporter
 * is told of the merge once, and gets one answer, naming both.
 */
import { expect, signedInPage, test } from "./support/fixtures";
import { fileAndConfirm, queryDatabase, REFERENCE, waitUntilSent } from "./support/journeys";
import { mailsTo } from "./support/mail";
import { seedSupporterRecords } from "./support/records";

test("a second erasure from the same address is flagged on both, merged, and both close with one email naming both", async ({ page: supporter, browser, uniqueEmail }) => {
  test.setTimeout(120_000);
  seedSupporterRecords({ email: uniqueEmail, name: "Dora Double" });
  const { reference: first } = await fileAndConfirm(supporter, { type: "erasure", email: uniqueEmail });

  // The same person writes in as well: staff record it, past the one-open-request limit.
  const reviewer = await signedInPage(browser, "staff@example.org");
  await reviewer.goto("/staff/requests/new");
  await reviewer.getByLabel("By post").check();
  await reviewer.getByLabel("How you checked the requester's identity").fill("Signed letter from the address on file.");
  await reviewer.getByLabel("Reason to override a per-supporter limit (optional)").fill("Her letter crossed with the web form.");
  await reviewer.getByRole("radio", { name: /^Delete my data/ }).check();
  await reviewer.getByLabel(/I understand this cannot be undone|understands this cannot be undone/).check();
  await reviewer.getByLabel("The requester's email address").fill(uniqueEmail);
  await reviewer.getByRole("button", { name: "Record the request" }).click();
  await expect(reviewer).toHaveURL(/\/staff\/requests\/RD-.*done=recorded/);
  const later = REFERENCE.exec(reviewer.url())?.[0] ?? "";

  // Flagged on both, each naming the other.
  await expect(reviewer.getByRole("heading", { name: "Possible duplicate" })).toBeVisible();
  await expect(reviewer.getByRole("link", { name: first })).toBeVisible();
  // The queue's filter finds both, and marks them.
  await reviewer.goto(`/staff?duplicates=flagged&q=${encodeURIComponent(uniqueEmail)}`);
  for (const ref of [first, later]) {
    await expect(reviewer.getByRole("row").filter({ hasText: ref })).toContainText("possible duplicate");
  }

  // Merged into the earlier one, from the later one's page.
  await reviewer.goto(`/staff/requests/${later}`);
  await reviewer.getByRole("button", { name: `Merge ${later} into ${first}` }).click();
  await expect(reviewer.getByRole("status")).toContainText("Merged.");
  await expect(reviewer.getByRole("note").filter({ hasText: `Merged into ${first}` })).toBeVisible();
  await expect(reviewer.getByRole("button", { name: "Start review" })).toHaveCount(0);
  await reviewer.goto(`/staff?duplicates=flagged&q=${encodeURIComponent(uniqueEmail)}`);
  await expect(reviewer.getByText("No requests match these filters.")).toBeVisible();

  // The earlier one is worked as usual; approving it erases, and closes both.
  await reviewer.goto(`/staff/requests/${first}`);
  await expect(reviewer.getByRole("note").filter({ hasText: `Merged into this request: ${later}` })).toBeVisible();
  await reviewer.getByRole("button", { name: "Start review" }).click();
  await reviewer.getByRole("checkbox", { name: /^I have checked what approval does/ }).check();
  await reviewer.getByRole("button", { name: "Approve and erase" }).click();
  await expect(reviewer.getByRole("status")).toContainText("complete");

  const statuses = queryDatabase<{ reference: string; status: string }>("select reference, status from requests where reference in (?, ?) order by id", first, later);
  expect(statuses).toEqual([
    { reference: first, status: "completed" },
    { reference: later, status: "completed" },
  ]);
  // The later one closed by the system with the earlier, on its own record, from the state it was in.
  const closing = queryDatabase<{ action: string; actor_type: string; from_status: string }>(
    "select e.action, e.actor_type, e.from_status from request_events e join requests r on r.id = e.request_id where r.reference = ? and e.to_status = 'completed'",
    later,
  );
  expect(closing).toEqual([{ action: "completed", actor_type: "system", from_status: "received" }]);

  // The supporter was told once of the merge, and got one completion email, the earlier request's, naming both.
  await waitUntilSent("r.reference in (?, ?)", first, later);
  const mails = await mailsTo(uniqueEmail);
  const merged = mails.filter((m) => m.subject.includes("are now one"));
  expect(merged).toHaveLength(1);
  expect(merged[0]?.subject).toBe(`Your requests ${later} and ${first} are now one`);
  expect(merged[0]?.text).toContain(`We are now working on ${first}.`);
  const completions = mails.filter((m) => /is complete|erased|deleted/i.test(m.subject));
  expect(completions).toHaveLength(1);
  expect(completions[0]?.subject).toContain(first);
  expect(completions[0]?.text).toContain(`This also answers your request ${later}`);
});
