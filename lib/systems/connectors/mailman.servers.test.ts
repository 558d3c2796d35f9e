/**
 * The Mailman connector against a real Mailman 3 core: finding an address's
 * lists, unsubscribing it from chosen lists or all, erasing it, and what
 * staff are told when the server refuses, is down, or is not allowed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MailmanServer, startMailman } from "@/lib/testing/servers";
import type { OutboundPolicy } from "@/lib/http/outbound-address";
import { describeFailure, SystemAnswer } from "./failures";
import { openMailman, type MailmanClient } from "./mailman";

let mailman: MailmanServer;
let client: MailmanClient;
/** The tests' server is on loopback: allowed explicitly, as an admin would allow a host of their own. */
const allowLoopback: OutboundPolicy = { allowPrivateHosts: ["127.0.0.1"], resolve: async () => [] };

async function rest(method: string, resource: string, body?: Record<string, unknown>): Promise<number> {
  const res = await fetch(`${mailman.restUrl}/${resource}`, {
    method,
    headers: { authorization: mailman.authorization, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  await res.text();
  return res.status;
}

async function subscribe(listId: string, email: string): Promise<void> {
  const status = await rest("POST", "members", {
    list_id: listId,
    subscriber: email,
    pre_verified: true,
    pre_confirmed: true,
    pre_approved: true,
    send_welcome_message: false,
  });
  expect(status).toBe(201);
}

beforeAll(async () => {
  mailman = await startMailman();
  expect(await rest("POST", "domains", { mail_host: "lists.example.org" })).toBe(201);
  for (const list of ["news", "alerts", "events"]) expect(await rest("POST", "lists", { fqdn_listname: `${list}@lists.example.org` })).toBe(201);
  client = await openMailman({ settings: { url: mailman.restUrl, user: mailman.restUser }, password: mailman.restPassword }, allowLoopback);
});
afterAll(async () => {
  await mailman?.stop();
});

describe("the Mailman connector", () => {
  it("names the server's version", async () => {
    expect(await client.version()).toMatch(/Mailman 3\./);
  });

  it("finds every list an address is on, by exactly that address, whatever its case", async () => {
    await subscribe("news.lists.example.org", "ada@example.org");
    await subscribe("alerts.lists.example.org", "ada@example.org");
    await subscribe("news.lists.example.org", "bob@example.org");
    const found = await client.memberships("ADA@example.org");
    expect(found.map((m) => [m.list, m.role]).sort()).toEqual([
      ["alerts@lists.example.org", "member"],
      ["news@lists.example.org", "member"],
    ]);
    expect(await client.memberships("nobody@example.org")).toEqual([]);
    // Mailman reads "*" as a pattern; the connector keeps only the address itself.
    expect(await client.memberships("*@example.org")).toEqual([]);
  });

  it("unsubscribes from the lists the supporter chose, then from all, and leaves others alone", async () => {
    await subscribe("events.lists.example.org", "cy@example.org");
    await subscribe("news.lists.example.org", "cy@example.org");
    const first = await client.unsubscribe("cy@example.org", ["events.lists.example.org", "never.lists.example.org"]);
    expect(first.removed.map((m) => m.listId)).toEqual(["events.lists.example.org"]);
    expect(first.notOn).toEqual(["never.lists.example.org"]);
    // A list the server has, which the address is not on, is not a list the server lacks.
    expect(first.missing).toEqual(["never.lists.example.org"]);
    expect((await client.unsubscribe("cy@example.org", ["alerts@lists.example.org"])).missing).toEqual([]);
    expect((await client.memberships("cy@example.org")).map((m) => m.listId)).toEqual(["news.lists.example.org"]);
    const rest = await client.unsubscribe("cy@example.org");
    expect(rest.removed.map((m) => m.listId)).toEqual(["news.lists.example.org"]);
    expect(await client.memberships("cy@example.org")).toEqual([]);
    expect((await client.memberships("bob@example.org")).length).toBe(1);
    // Again: nothing left to do is not a failure.
    expect((await client.unsubscribe("cy@example.org")).removed).toEqual([]);
  });

  it("erases an address: every membership, its address record and its user", async () => {
    await subscribe("events.lists.example.org", "dee@example.org");
    await subscribe("alerts.lists.example.org", "dee@example.org");
    const erased = await client.erase("dee@example.org");
    expect(erased.removed.length).toBe(2);
    expect(erased.addressDeleted).toBe(true);
    expect(await client.memberships("dee@example.org")).toEqual([]);
    expect(await rest("GET", "addresses/dee@example.org")).toBe(404);
    expect(await rest("GET", "users/dee@example.org")).toBe(404);
    // An address Mailman never knew: nothing to do, and no failure.
    expect((await client.erase("never@example.org")).removed).toEqual([]);
  });

  it("is checked only at the REST API's version 3.1: without a version, or at 3.0, the check says how to write the address", async () => {
    const at = (url: string) => openMailman({ settings: { url, user: mailman.restUser }, password: mailman.restPassword }, allowLoopback);
    const root = mailman.restUrl.replace(/\/3\.1$/, "");
    expect(describeFailure(await (await at(root)).version().catch((e: unknown) => e)).sentence).toMatch(/^nothing at this address answers as Mailman's REST API; .*\/3\.1$/);
    expect(describeFailure(await (await at(`${root}/3.0`)).version().catch((e: unknown) => e)).sentence).toBe(
      "the address leads to version 3.0 of Mailman's REST API, but Rightsdesk speaks 3.1: end the address with /3.1",
    );
  });

  it("never reads an address's lists as none when it cannot read the answer: through version 3.0 an unsubscribe stops, and the address stays known", async () => {
    await subscribe("news.lists.example.org", "gil@example.org");
    const old = await openMailman({ settings: { url: mailman.restUrl.replace(/\/3\.1$/, "/3.0"), user: mailman.restUser }, password: mailman.restPassword }, allowLoopback);
    for (const work of [() => old.memberships("gil@example.org"), () => old.unsubscribe("gil@example.org"), () => old.erase("gil@example.org")]) {
      const failure = describeFailure(await work().catch((e: unknown) => e));
      expect(failure).toEqual({ sentence: expect.stringMatching(/^the list server's answer did not name the address's memberships as version 3\.1/), retry: true });
    }
    expect((await client.memberships("gil@example.org")).map((m) => m.listId)).toEqual(["news.lists.example.org"]);
  });

  it("is refused at a loopback address unless an admin allowed that host", async () => {
    const strict: OutboundPolicy = { allowPrivateHosts: [], resolve: async () => [] };
    const refused = await openMailman({ settings: { url: mailman.restUrl, user: mailman.restUser }, password: mailman.restPassword }, strict).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SystemAnswer);
    expect(describeFailure(refused)).toEqual({ sentence: expect.stringMatching(/private or internal network address.*WEBHOOK_ALLOW_PRIVATE_HOSTS/), retry: false });
  });

  it("says the password was refused, without what the server wrote", async () => {
    const wrong = await openMailman({ settings: { url: mailman.restUrl, user: mailman.restUser }, password: "wrong" }, allowLoopback);
    const failure = describeFailure(await wrong.memberships("ada@example.org").catch((e: unknown) => e));
    expect(failure.sentence).toBe("the list server refused the REST user name or password");
  });

  it("says the server is down while it is, and works again once it is back", async () => {
    await mailman.halt();
    try {
      const failure = describeFailure(await client.memberships("ada@example.org").catch((e: unknown) => e));
      expect(failure).toEqual({ sentence: "the system refused the connection (is it running?)", retry: true });
    } finally {
      await mailman.resume();
    }
    expect((await client.memberships("ada@example.org")).length).toBe(2);
  });
});
