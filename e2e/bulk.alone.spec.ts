/**
 * Acting on many requests from the queue: 200 erasures approved in one
 * action, each carried out as by hand with its own event and email, two in
 * the wrong state reported and left; the server killed part-way and started
 * again loses and doubles nothing. And the same by keyboard alone, on a few.
 * Killing the server is why these run alone.
 */
import { randomBytes } from "node:crypto";
import { expect, signedInPage, test } from "./support/fixtures";
import { countRows, queryDatabase, waitUntilSent } from "./support/journeys";
import { seedRequests } from "./support/seed";
import { restartServer } from "./support/server";

test.describe.configure({ mode: "serial" });

test("200 erasures approved in one action all complete, each with its event and email; two in the wrong state are left and listed; a crash part-way loses and doubles nothing", async ({ browser }) => {
  test.setTimeout(420_000);
  const prefix = `bulk${randomBytes(4).toString("hex")}-`;
  const receivedAt = new Date(Date.now() - 2 * 86_400_000);
  const dueOn = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
  const ready = seedRequests(Array.from({ length: 200 }, (_, i) => ({ email: `${prefix}${String(i).padStart(3, "0")}@example.org`, type: "erasure" as const, status: "in_review" as const, receivedAt, dueOn })));
  const early = seedRequests([0, 1].map((i) => ({ email: `${prefix}early${i}@example.org`, type: "erasure" as const, status: "received" as const, receivedAt, dueOn })));

  const lead = await signedInPage(browser, "admin@example.org");
  await lead.goto(`/staff?q=${prefix}`);
  // The form's choices show and hide what each action needs once the page is live.
  await expect(lead.locator("form#bulk-form[data-ready=true]")).toBeAttached();
  await lead.getByRole("radio", { name: /^Every request matching this filter/ }).check();
  await lead.getByLabel("What to do").selectOption("approve");
  await lead.getByRole("checkbox", { name: /^I have checked what approval does to each erasure/ }).check();
  const actionsBefore = countRows("bulk_jobs");
  await lead.getByRole("button", { name: "Apply" }).click();
  // Nothing happens to every match until the number has been seen.
  await expect(lead.getByRole("alert").filter({ hasText: "Approve: this covers 202 requests matching the filter, on every page." })).toBeVisible();
  expect(countRows("bulk_jobs")).toBe(actionsBefore);
  await lead.getByRole("button", { name: "Yes, apply to all 202" }).click();
  await expect(lead).toHaveURL(/\/staff\/bulk\/\d+$/);
  const jobId = Number(new URL(lead.url()).pathname.split("/").pop());

  // Killed as soon as the first requests are done, and started again.
  const progress = () => queryDatabase<{ done: number; total: number; status: string }>("select done, total, status from bulk_jobs where id = ?", jobId)[0];
  await expect.poll(() => progress()?.done ?? 0, { intervals: [20], timeout: 60_000 }).toBeGreaterThan(0);
  await restartServer({ crash: true });
  const atCrash = progress();
  expect(atCrash?.done, "the crash came part-way").toBeLessThan(202);

  await expect.poll(() => progress()?.status, { timeout: 180_000 }).toBe("done");
  expect(progress()).toEqual({ done: 202, total: 202, status: "done" });

  // Each approved once, erased once, completed once, emailed once: nothing lost and nothing twice.
  const perRequest = queryDatabase<{ reference: string; status: string; approved: number; erased: number; completed: number; mails: number }>(
    `select r.reference, r.status,
       (select count(*) from request_events e where e.request_id = r.id and e.action = 'approved') as approved,
       (select count(*) from request_events e where e.request_id = r.id and e.action = 'erased') as erased,
       (select count(*) from request_events e where e.request_id = r.id and e.action = 'completed') as completed,
       (select count(*) from mail_outbox m where m.request_id = r.id and m.kind = 'completed') as mails
     from requests r where r.reference in (${ready.map(() => "?").join(",")}) order by r.reference`,
    ...ready,
  );
  expect(perRequest).toHaveLength(200);
  for (const row of perRequest) expect(row, row.reference).toMatchObject({ status: "completed", approved: 1, erased: 1, completed: 1, mails: 1 });
  for (const reference of early) {
    expect(queryDatabase("select status from requests where reference = ?", reference)).toEqual([{ status: "received" }]);
    expect(countRows("request_events e join requests r on r.id = e.request_id", "r.reference = ? and e.action <> 'filed'", reference)).toBe(0);
  }
  // Every email went out, each once: at MAIL_RATE (20 a second here), and those the killed server had claimed as soon as
  // the server started again on this machine gave them back (README, "Mail delivery"), well before their two-minute
  // leases would have run out.
  const sentCount = () => countRows("mail_outbox o join requests r on r.id = o.request_id", `o.kind = 'completed' and o.status = 'sent' and r.reference in (${ready.map(() => "?").join(",")})`, ...ready);
  await expect.poll(sentCount, { timeout: 60_000 }).toBe(200);
  expect(await waitUntilSent(`o.kind = 'completed' and r.reference in (${ready.map(() => "?").join(",")})`, ...ready)).toHaveLength(200);

  // The action's page says what moved and lists, with why, the two that did not.
  await lead.goto(`/staff/bulk/${jobId}`);
  await expect(lead.getByRole("status")).toContainText("202 requests: 200 approved, 2 left as they were.");
  for (const reference of early) {
    await expect(lead.getByRole("listitem").filter({ hasText: reference })).toContainText("A request that is received cannot be approved.");
  }
});

test("by keyboard alone: tick rows, move between them, and start review on the ticked ones", async ({ browser }) => {
  const prefix = `keys${randomBytes(4).toString("hex")}-`;
  const receivedAt = new Date(Date.now() - 86_400_000);
  const dueOn = new Date(Date.now() + 25 * 86_400_000).toISOString().slice(0, 10);
  // Received one after the other, so the queue (newest first) lists them third, second, first.
  const [first, second, third] = seedRequests(
    [0, 1, 2].map((i) => ({ email: `${prefix}${i}@example.org`, type: "access" as const, receivedAt: new Date(receivedAt.getTime() + i * 60_000), dueOn })),
  );
  const reviewer = await signedInPage(browser, "staff@example.org");
  await reviewer.goto(`/staff?q=${prefix}`);
  await expect(reviewer.locator("form#bulk-form[data-ready=true]")).toBeAttached();
  await reviewer.getByRole("checkbox", { name: `Select ${third}` }).focus();
  await reviewer.keyboard.press("Space");
  await reviewer.keyboard.press("ArrowDown");
  await reviewer.keyboard.press("ArrowDown");
  await expect(reviewer.getByRole("checkbox", { name: `Select ${first}` })).toBeFocused();
  await reviewer.keyboard.press("Space");
  await expect(reviewer.getByText("The 2 requests ticked on this page")).toBeVisible();
  // On from the choice of action (start review, the first) to the button, and press it.
  await reviewer.getByLabel("What to do").focus();
  await reviewer.keyboard.press("Tab");
  await expect(reviewer.getByRole("button", { name: "Apply" })).toBeFocused();
  await reviewer.keyboard.press("Enter");
  await expect(reviewer).toHaveURL(/\/staff\/bulk\/\d+$/);
  await expect(reviewer.getByRole("status")).toContainText("2 requests: 2 in review, 0 left as they were.");
  const statuses = queryDatabase<{ reference: string; status: string }>("select reference, status from requests where reference in (?, ?, ?)", first, second, third);
  expect(Object.fromEntries(statuses.map((r) => [r.reference, r.status]))).toEqual({ [first!]: "in_review", [second!]: "received", [third!]: "in_review" });
});
