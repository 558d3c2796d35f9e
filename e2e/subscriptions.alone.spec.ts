/**
 * Event subscriptions across a server kill. Runs alone (it kills and
 * restarts the one server): a receiver on 127.0.0.1 is subscribed on the
 * admin page, takes the first delivery but never answers it, the server is
 * killed (SIGKILL: no chance to tidy up) and started again, and every event
 * still reaches the receiver, each under one delivery id: acting once per
 * id, the receiver sees each event exactly once.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { killProcessGroupNow } from "./support/app-process";
import { expect, signedInPage, test } from "./support/fixtures";
import { fileAndConfirm, queryDatabase, updateDatabase } from "./support/journeys";
import { readServerState, restartServer } from "./support/server";

test.describe.configure({ mode: "serial", timeout: 180_000 });

type Call = { delivery: string; event: { id: string; kind: string; reference: string }; signed: boolean };

test("a receiver on 127.0.0.1 gets each event exactly once across a server kill", async ({ browser, page: supporter, uniqueEmail }) => {
  let secret = "";
  const calls: Call[] = [];
  let holding = true;
  const held: http.ServerResponse[] = [];
  const receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      const timestamp = String(req.headers["x-rightsdesk-timestamp"] ?? "");
      const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`);
      const given = Buffer.from(String(req.headers["x-rightsdesk-signature"] ?? ""));
      const parsed = JSON.parse(body) as { delivery: string; event: Call["event"] };
      calls.push({ delivery: parsed.delivery, event: parsed.event, signed: given.length === expected.length && timingSafeEqual(given, expected) && req.headers["x-rightsdesk-delivery"] === parsed.delivery });
      // The first delivery is taken and never answered: the server dies while it waits.
      if (holding) held.push(res);
      else res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`;
  const name = `Receiver ${uniqueEmail}`;
  try {
    const admin = await signedInPage(browser, "admin@example.org");
    await admin.goto("/staff/api/subscriptions");
    await admin.getByLabel("Name", { exact: true }).fill(name);
    await admin.getByLabel("Address", { exact: true }).fill(url);
    await admin.getByLabel(/^request\.received:/).check();
    await admin.getByLabel(/^request\.in_review:/).check();
    await admin.getByRole("button", { name: "Subscribe" }).click();
    secret = (await admin.getByTestId("subscription-secret").textContent())!.trim();
    await admin.context().close();

    const { reference } = await fileAndConfirm(supporter, { type: "concern", email: uniqueEmail, message: "Who shares my data?" });
    await expect.poll(() => calls.filter((c) => c.event.reference === reference).length, { timeout: 30_000 }).toBe(1);
    const first = calls.find((c) => c.event.reference === reference)!;

    // Killed mid-call, with the delivery leased and unanswered.
    killProcessGroupNow(readServerState().pid);
    for (const res of held.splice(0)) res.destroy();
    holding = false;
    await restartServer();

    // The unanswered delivery is still leased to the killed server (one call's time: 15 seconds); its lease is made to
    // run out now, in the database, as waiting would (a delivery whose lease has not run out is sent by nobody: unit tests).
    expect(
      updateDatabase(
        "update api_deliveries set next_attempt_at = min(next_attempt_at, ?) where status = 'pending' and subscription_id = (select id from api_subscriptions where name = ?)",
        Date.now(),
        name,
      ),
    ).toBe(1);
    // After the restart: another event, and the unanswered one again.
    const staff = await signedInPage(browser, "staff@example.org");
    await staff.goto(`/staff/requests/${reference}`);
    await staff.getByRole("button", { name: "Start review" }).click();
    await expect(staff.getByRole("status")).toHaveText("Review started.");
    await staff.context().close();

    const mine = () => calls.filter((c) => c.event.reference === reference);
    await expect.poll(() => mine().map((c) => c.event.kind).sort(), { timeout: 60_000, intervals: [1000] }).toEqual(["request.in_review", "request.received", "request.received"]);

    // The received event came twice, under the same delivery id; every call was signed.
    expect(mine().filter((c) => c.event.kind === "request.received").map((c) => c.delivery)).toEqual([first.delivery, first.delivery]);
    expect(mine().every((c) => c.signed)).toBe(true);
    // Acting once per delivery id, the receiver has each event exactly once.
    const acted = new Map(mine().map((c) => [c.delivery, c.event]));
    expect([...acted.values()].map((e) => e.kind).sort()).toEqual(["request.in_review", "request.received"]);
    expect(new Set([...acted.values()].map((e) => e.id)).size).toBe(2);
    expect(
      queryDatabase<{ status: string }>(
        "select d.status from api_deliveries d join api_subscriptions s on s.id = d.subscription_id where s.name = ? order by d.id",
        name,
      ),
    ).toEqual([{ status: "delivered" }, { status: "delivered" }]);
  } finally {
    for (const res of held.splice(0)) res.destroy();
    await new Promise((resolve) => receiver.close(resolve));
  }
});
