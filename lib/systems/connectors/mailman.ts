/**
 * A Mailman 3 list server, through its core's REST API (version 3.1): the
 * lists an address is on, unsubscribing it (from every list, or the ones
 * the supporter chose), writing a corrected name, and erasing it (every membership, whatever its
 * role, then its address and, when that was all it had, its user). Each
 * call goes to the address the outbound policy checked, with a time limit
 * and no redirect followed; what the server answers is read only as the
 * fields named here, and a failure becomes a fixed sentence.
 */
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { OutboundPolicy, ResolvedAddress } from "@/lib/http/outbound-address";
import type { MailmanSettings } from "./connection-settings";
import { SystemAnswer } from "./failures";
import { checkOutboundHost } from "./outbound-host";

export type MailmanTarget = { settings: MailmanSettings; password: string };

export type Membership = {
  memberId: string;
  listId: string;
  /** The list's posting address, e.g. news@lists.example.org. */
  list: string;
  listName: string;
  role: string;
  email: string;
  /** The name Mailman keeps for the member (the address's, else its user's); null when it has none. */
  displayName: string | null;
  deliveryMode: string | null;
  subscribedAt: string | null;
};

type Answer = { status: number; body: unknown };

const TIMEOUT_MS = 10_000;
/** The version of Mailman's REST API this client reads. */
export const API_VERSION = "3.1";
const MEMBER_ID = /^[A-Za-z0-9-]{1,64}$/;
const NO_API_HERE = `nothing at this address answers as Mailman's REST API; the address is Mailman core's REST API with its version at the end, such as http://lists.example.org:8001/${API_VERSION}`;
const UNREADABLE = `the list server's answer did not name the address's memberships as version ${API_VERSION} of its REST API does; check that the REST address ends with /${API_VERSION}`;
/** The most an answer may be; a list server's answers for one address are small. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
}

export type MailmanClient = {
  version(): Promise<string>;
  memberships(email: string): Promise<Membership[]>;
  /** `notOn`: lists named that the address is not on there; `missing`: those of them the server has no list by. */
  unsubscribe(email: string, lists?: readonly string[]): Promise<{ removed: Membership[]; notOn: string[]; missing: string[] }>;
  /**
   * Writes a corrected name where the server keeps one: the address's own
   * display name and, when the address belongs to a user, the user's (which
   * Mailman shows in its place where the address has none).
   */
  rename(email: string, name: string): Promise<{ known: boolean; user: boolean }>;
  /** Resolves only once the server no longer knows the address. */
  erase(email: string): Promise<{ removed: Membership[]; addressDeleted: true; userDeleted: boolean }>;
};

/** A client for the server, after checking its host against the outbound policy. Throws a SystemAnswer when refused. */
export async function openMailman(target: MailmanTarget, policy: OutboundPolicy, timeoutMs = TIMEOUT_MS): Promise<MailmanClient> {
  const base = new URL(`${target.settings.url}/`);
  const host = await checkOutboundHost(base.hostname, policy);
  if (!host.ok) throw new SystemAnswer(host.message, host.reason !== "private");
  const pinned = host.pinned;
  const authorization = `Basic ${Buffer.from(`${target.settings.user}:${target.password}`).toString("base64")}`;

  function call(method: string, resource: string, body?: Record<string, unknown>): Promise<Answer> {
    const url = new URL(resource, base);
    const payload = body ? JSON.stringify(body) : undefined;
    const client = url.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
      const request = client.request(
        url,
        {
          method,
          headers: {
            authorization,
            accept: "application/json",
            ...(payload ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)) } : {}),
          },
          lookup: pinnedLookup(pinned),
          agent: false,
          signal: AbortSignal.timeout(timeoutMs),
        },
        (response) => {
          const parts: Buffer[] = [];
          let size = 0;
          response.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_ANSWER_BYTES) response.destroy(new SystemAnswer("the list server's answer was larger than Rightsdesk reads", true));
            else parts.push(chunk);
          });
          response.on("error", reject);
          response.on("end", () => {
            const text = Buffer.concat(parts).toString("utf8");
            let parsed: unknown = null;
            try {
              parsed = text ? JSON.parse(text) : null;
            } catch {
              parsed = null;
            }
            resolve({ status: response.statusCode ?? 0, body: parsed });
          });
        },
      );
      request.on("error", reject);
      request.end(payload);
    });
  }

  function refuse(answer: Answer, doing: string): never {
    if (answer.status === 401 || answer.status === 403) throw new SystemAnswer("the list server refused the REST user name or password", true, "password");
    if (answer.status >= 300 && answer.status < 400) throw new SystemAnswer("the list server answered with a redirect, which is not followed; check the REST address", true);
    throw new SystemAnswer(`the list server answered HTTP ${answer.status} when ${doing}`, answer.status >= 500 || answer.status === 404);
  }

  const listNames = new Map<string, { list: string; listName: string }>();
  async function listOf(listId: string): Promise<{ list: string; listName: string }> {
    const known = listNames.get(listId);
    if (known) return known;
    const answer = await call("GET", `lists/${encodeURIComponent(listId)}`);
    const body = (answer.body ?? {}) as Record<string, unknown>;
    const found =
      answer.status === 200
        ? { list: String(body.fqdn_listname ?? listId), listName: String(body.display_name ?? body.list_name ?? listId) }
        : { list: listId, listName: listId };
    listNames.set(listId, found);
    return found;
  }

  async function memberships(email: string): Promise<Membership[]> {
    const address = email.trim().toLowerCase();
    const answer = await call("POST", "members/find", { subscriber: address });
    if (answer.status !== 200) refuse(answer, "looking for the address");
    const entries = (((answer.body ?? {}) as { entries?: unknown[] }).entries ?? []) as Array<Record<string, unknown>>;
    const found: Membership[] = [];
    // Exactly this address: a "*" in an address would make Mailman's search a pattern.
    for (const entry of entries.filter((e) => String(e.email ?? "").toLowerCase() === address)) {
      const listId = String(entry.list_id ?? "");
      // API 3.1 names a member by a hexadecimal id. One that cannot be read (API 3.0's 128-bit numbers do not survive
      // JSON in JavaScript) must stop the work: dropped quietly, the address would seem to be on no list, and an
      // unsubscribe or erasure would be recorded as done while the person stayed on the list.
      if (typeof entry.member_id !== "string" || !MEMBER_ID.test(entry.member_id) || listId === "") {
        throw new SystemAnswer(UNREADABLE, true);
      }
      found.push({
        memberId: entry.member_id,
        listId,
        ...(await listOf(listId)),
        role: String(entry.role ?? "member"),
        email: String(entry.email),
        displayName: typeof entry.display_name === "string" && entry.display_name.trim() !== "" ? entry.display_name : null,
        deliveryMode: typeof entry.delivery_mode === "string" ? entry.delivery_mode : null,
        subscribedAt: typeof entry.subscription_date === "string" ? entry.subscription_date : null,
      });
    }
    return found;
  }

  async function remove(member: Membership): Promise<void> {
    // pre_approved and pre_confirmed: the organisation removes the address itself; no moderator or confirmation stands between.
    const query = member.role === "member" ? "?pre_approved=true&pre_confirmed=true" : "";
    const answer = await call("DELETE", `members/${encodeURIComponent(member.memberId)}${query}`);
    if (answer.status === 204 || answer.status === 404) return;
    if (answer.status === 202) throw new SystemAnswer(`the list ${member.list} holds the unsubscription for a moderator to approve`, true);
    refuse(answer, `removing the address from ${member.list}`);
  }

  return {
    async version() {
      const answer = await call("GET", "system/versions");
      if (answer.status === 404) throw new SystemAnswer(NO_API_HERE, false);
      if (answer.status !== 200) refuse(answer, "asked for its version");
      const body = (answer.body ?? {}) as Record<string, unknown>;
      if (typeof body.mailman_version !== "string") throw new SystemAnswer(NO_API_HERE, false);
      // Only the version Rightsdesk reads: through another, the address's answers name members differently.
      if (body.api_version !== API_VERSION) {
        throw new SystemAnswer(
          `the address leads to ${body.api_version === "3.0" ? "version 3.0" : "another version"} of Mailman's REST API, but Rightsdesk speaks ${API_VERSION}: end the address with /${API_VERSION}`,
          false,
        );
      }
      return body.mailman_version;
    },
    memberships,
    async unsubscribe(email, lists) {
      const all = (await memberships(email)).filter((m) => m.role === "member");
      const chosen = lists ? all.filter((m) => lists.includes(m.listId) || lists.includes(m.list)) : all;
      for (const member of chosen) await remove(member);
      const on = new Set(all.flatMap((m) => [m.listId, m.list]));
      const notOn = (lists ?? []).filter((l) => !on.has(l));
      // A list named as the server does not name it (a list id or a posting address) is worth telling staff apart from an address not on it.
      const missing: string[] = [];
      for (const list of notOn) {
        const answer = await call("GET", `lists/${encodeURIComponent(list)}`);
        if (answer.status === 404) missing.push(list);
        else if (answer.status !== 200) refuse(answer, "looking for a list");
      }
      return { removed: chosen, notOn, missing };
    },
    async rename(email, name) {
      const address = email.trim().toLowerCase();
      const written = await call("PATCH", `addresses/${encodeURIComponent(address)}`, { display_name: name });
      if (written.status === 404) return { known: false, user: false };
      if (written.status !== 204) refuse(written, "writing the corrected name to the address");
      const user = await call("GET", `users/${encodeURIComponent(address)}`);
      if (user.status === 404) return { known: true, user: false };
      if (user.status !== 200) refuse(user, "looking for the address's user");
      const renamed = await call("PATCH", `users/${encodeURIComponent(address)}`, { display_name: name });
      if (renamed.status !== 204) refuse(renamed, "writing the corrected name to the address's user");
      return { known: true, user: true };
    },
    async erase(email) {
      const address = email.trim().toLowerCase();
      const all = await memberships(address);
      for (const member of all) await remove(member);
      // The address's own record, and its user when the address was all that user had.
      let userDeleted = false;
      const user = await call("GET", `users/${encodeURIComponent(address)}`);
      if (user.status === 200) {
        const addresses = await call("GET", `users/${encodeURIComponent(address)}/addresses`);
        const others = ((((addresses.body ?? {}) as { entries?: unknown[] }).entries ?? []) as Array<Record<string, unknown>>).filter(
          (a) => String(a.email ?? "").toLowerCase() !== address,
        );
        if (addresses.status === 200 && others.length === 0) {
          const deleted = await call("DELETE", `users/${encodeURIComponent(address)}`);
          if (deleted.status !== 204 && deleted.status !== 404) refuse(deleted, "deleting the address's user");
          userDeleted = true;
        }
      } else if (user.status !== 404) {
        refuse(user, "looking for the address's user");
      }
      // Deleting the user may have taken the address with it; either way, the server must no longer know it.
      const deleted = await call("DELETE", `addresses/${encodeURIComponent(address)}`);
      if (deleted.status !== 204 && deleted.status !== 404) refuse(deleted, "deleting the address");
      const left = await call("GET", `addresses/${encodeURIComponent(address)}`);
      if (left.status !== 404) refuse(left, "checking the address was deleted");
      return { removed: all, addressDeleted: true, userDeleted };
    },
  };
}
