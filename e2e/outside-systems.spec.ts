/**
 * Runs after every other test (see playwright.config.ts): while a system is
 * switched on, every approved access, correction or erasure request gets a
 * task, which would hold up other tests' requests.
 */
import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, signInAs, test } from "./support/fixtures";
import { fileAndConfirm, queryDatabase } from "./support/journeys";
import { waitForMail } from "./support/mail";

type Call = { headers: http.IncomingHttpHeaders; body: string };

test("an address that leads inside the network is refused when saved, unless its host is on the allow-list", async ({ browser, uniqueEmail }) => {
  const admin = await (await browser.newContext()).newPage();
  await signInAs(admin, "admin@example.org");
  await admin.goto("/staff/systems");
  // The server allows 127.0.0.1 (WEBHOOK_ALLOW_PRIVATE_HOSTS); localhost, [::1] and 10.x are other hosts.
  for (const url of ["http://localhost:9/hook", "http://[::1]:9/hook", "http://10.0.0.1/hook"]) {
    const name = `Inside ${uniqueEmail} ${url}`;
    await admin.getByLabel("Name", { exact: true }).fill(name);
    await admin.getByLabel(/Webhook: /).check();
    await admin.getByLabel("Webhook address").fill(url);
    await admin.getByRole("button", { name: "Add system" }).click();
    await expect(admin.locator("#field-url-error")).toContainText("leads to a private or internal network address");
    await expect(admin.locator("#field-url-error")).toContainText("WEBHOOK_ALLOW_PRIVATE_HOSTS");
    expect(queryDatabase("select id from external_systems where name = ?", name)).toEqual([]);
  }
});

test("a webhook receiver on 127.0.0.1 gets a correctly signed call, and the request completes only once it has answered", async ({
  page: supporter,
  browser,
  uniqueEmail,
}) => {
  const calls: Call[] = [];
  const receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      calls.push({ headers: req.headers, body });
      res.writeHead(200, { "content-type": "text/plain" }).end("received");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const port = (receiver.address() as AddressInfo).port;
  const admin = await (await browser.newContext()).newPage();
  const systemName = `CRM ${uniqueEmail}`;
  try {
    await signInAs(admin, "admin@example.org");
    await admin.goto("/staff/systems");
    await admin.getByLabel("Name", { exact: true }).fill(systemName);
    await admin.getByLabel(/Webhook: /).check();
    await admin.getByLabel("Webhook address").fill(`http://127.0.0.1:${port}/rightsdesk`);
    await admin.getByRole("button", { name: "Add system" }).click();
    const secret = (await admin.getByTestId("webhook-secret").textContent())!.trim();
    expect(secret.length).toBeGreaterThan(30);
    // Kept sealed with the installation's key: the database alone holds neither the secret nor anything to sign with.
    const stored = () => queryDatabase<{ secret: string }>("select secret from external_systems where name = ?", systemName)[0]!.secret;
    expect(stored()).toMatch(/^v1\./);
    expect(stored()).not.toContain(secret);
    await admin.reload();
    await expect(admin.getByTestId("webhook-secret")).toHaveCount(0);
    await expect(admin.getByRole("row", { name: new RegExp(systemName) }).getByRole("cell", { name: "on", exact: true })).toBeVisible();

    const { reference } = await fileAndConfirm(supporter, { type: "access", email: uniqueEmail, name: "Wendy Hook" });
    await admin.goto(`/staff/requests/${reference}`);
    await admin.getByRole("button", { name: "Start review" }).click();
    await expect(admin.getByRole("status")).toHaveText("Review started.");
    await admin.getByRole("button", { name: "Approve" }).click();
    await expect(admin.getByRole("status")).toContainText("Approved");

    await expect.poll(() => calls.filter((c) => c.body.includes(reference)).length, { timeout: 20_000 }).toBe(1);
    const call = calls.find((c) => c.body.includes(reference))!;
    const sent = JSON.parse(call.body);
    expect(sent).toEqual({ delivery: expect.stringMatching(/^[0-9a-f-]{36}$/), type: "access", reference, email: uniqueEmail, name: "Wendy Hook" });
    // The delivery id is inside the signed body and in its own header, so a receiver can refuse a replay.
    expect(call.headers["x-rightsdesk-delivery"]).toBe(sent.delivery);
    const timestamp = String(call.headers["x-rightsdesk-timestamp"]);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(120);
    const expected = `sha256=${createHmac("sha256", secret).update(`${timestamp}.${call.body}`).digest("hex")}`;
    expect(call.headers["x-rightsdesk-signature"]).toBe(expected);

    await expect
      .poll(() => queryDatabase<{ status: string; last_response: string }>("select t.status, t.last_response from request_tasks t join requests r on r.id = t.request_id where r.reference = ?", reference), { timeout: 10_000 })
      .toEqual([{ status: "done", last_response: "HTTP 200: the system confirmed it received the request." }]);
    // Its answer was the last open task, so the access request completed itself, and the supporter was told.
    await expect
      .poll(() => queryDatabase<{ status: string }>("select status from requests where reference = ?", reference), { timeout: 10_000 })
      .toEqual([{ status: "completed" }]);
    const events = queryDatabase<{ action: string; actor_type: string }>(
      "select e.action, e.actor_type from request_events e join requests r on r.id = e.request_id where r.reference = ? order by e.id",
      reference,
    );
    expect(events.slice(-4)).toEqual([
      { action: "approved", actor_type: "staff" },
      { action: "tasks_created", actor_type: "system" },
      { action: "task_done", actor_type: "system" },
      { action: "completed", actor_type: "system" },
    ]);
    await waitForMail({ to: uniqueEmail, subject: new RegExp(`^Your request ${reference} is complete$`) });
    await admin.reload();
    await expect(admin.getByRole("region", { name: "Outside systems", exact: true })).toContainText("done by system");
    await expect(admin.getByRole("button", { name: "Mark completed" })).toHaveCount(0);

    // A new secret, for when the stored one no longer opens or may have leaked: shown once, and sealed too.
    await admin.goto("/staff/systems");
    const before = stored();
    await admin.getByRole("button", { name: `New secret for ${systemName}` }).click();
    const renewed = (await admin.getByTestId("webhook-secret").textContent())!.trim();
    expect(renewed.length).toBeGreaterThan(30);
    expect(renewed).not.toBe(secret);
    expect(stored()).not.toBe(before);
    expect(stored()).toMatch(/^v1\./);
    expect(stored()).not.toContain(renewed);
  } finally {
    // Leave the shared server as it was found.
    await admin.goto("/staff/systems");
    await admin.getByRole("button", { name: `Switch off ${systemName}` }).click();
    await expect(admin.getByRole("row", { name: new RegExp(systemName) }).getByRole("cell", { name: "off", exact: true })).toBeVisible();
    await new Promise((resolve) => receiver.close(resolve));
  }
});
