import { describe, expect, it } from "vitest";
import {
  canonicalQueueRedirect,
  decodeCursor,
  encodeCursor,
  parseQueueQuery,
  parseQueueSearch,
  queueHref,
  referenceFromTyped,
  type QueueCursor,
  type QueueQuery,
  type SearchParams,
} from "./queue-query";

const DEFAULTS: QueueQuery = {
  status: null,
  type: null,
  deadline: null,
  assigned: null,
  duplicates: null,
  q: "",
  search: null,
  sort: "received",
  after: null,
};

describe("parseQueueQuery", () => {
  it.each<[string, SearchParams, Partial<QueueQuery>]>([
    ["nothing", {}, {}],
    ["every filter", { status: "in_review", type: "erasure", deadline: "overdue", assigned: "me", sort: "due" }, { status: "in_review", type: "erasure", deadline: "overdue", assigned: "me", sort: "due" }],
    ["due soon and unassigned", { deadline: "due_soon", assigned: "none" }, { deadline: "due_soon", assigned: "none" }],
    ["empty values, as an untouched form sends them", { status: "", type: "", deadline: "", assigned: "", q: "", sort: "" }, {}],
    ["an unknown status", { status: "lost" }, {}],
    ["a status in the wrong case", { status: "Received" }, {}],
    ["an unknown type", { type: "delete-everything" }, {}],
    ["an unknown deadline", { deadline: "yesterday" }, {}],
    ["an unknown assignment", { assigned: "bob@example.org" }, {}],
    ["an unknown sort", { sort: "id; drop table requests" }, {}],
    ["a repeated value: the first counts", { status: ["completed", "received"] }, { status: "completed" }],
    ["an empty repeated value", { status: [] }, {}],
    ["a search", { q: "  Ada@Example.org " }, { q: "Ada@Example.org", search: { kind: "email", email: "ada@example.org" } }],
    ["a blank search", { q: "   " }, {}],
    ["a search longer than any address", { q: "a".repeat(255) }, {}],
    ["a cursor", { after: "1777626000000.42" }, { after: { sort: "received", receivedAt: 1_777_626_000_000, id: 42 } }],
    ["a due-date cursor", { sort: "due", after: "2026-06-01.42" }, { sort: "due", after: { sort: "due", dueOn: "2026-06-01", id: 42 } }],
    ["a due-date cursor without its sort", { after: "2026-06-01.42" }, {}],
    ["a received cursor with the due sort", { sort: "due", after: "1777626000000.42" }, { sort: "due" }],
  ])("%s", (_name, params, expected) => {
    expect(parseQueueQuery(params)).toEqual({ ...DEFAULTS, ...expected });
  });
});

describe("referenceFromTyped", () => {
  it.each<[string, string | null]>([
    ["RD-7K3Q-9XWM", "RD-7K3Q-9XWM"],
    ["rd-7k3q-9xwm", "RD-7K3Q-9XWM"],
    ["RD7K3Q9XWM", "RD-7K3Q-9XWM"],
    ["rd 7k3q 9xwm", "RD-7K3Q-9XWM"],
    ["rd-7k3q9xwm", "RD-7K3Q-9XWM"],
    ["7K3Q-9XWM", "RD-7K3Q-9XWM"],
    ["7k3q 9xwm", "RD-7K3Q-9XWM"],
    // Eight letters alone could be the start of a name.
    ["7K3Q9XWM", null],
    ["andersen", null],
    // Letters the alphabet leaves out (I, L, O, U) are not a reference.
    ["RD-7K3O-9XWM", null],
    ["RD-7K3Q-9XW", null],
    ["RD-7K3Q-9XWMM", null],
    ["RD--7K3Q-9XWM", "RD-7K3Q-9XWM"],
    ["XY-7K3Q-9XWM", null],
    ["", null],
  ])("%j → %j", (text, expected) => {
    expect(referenceFromTyped(text)).toBe(expected);
  });
});

describe("parseQueueSearch", () => {
  it.each<[string | undefined, ReturnType<typeof parseQueueSearch>]>([
    [undefined, null],
    ["", null],
    ["  ", null],
    ["rd-7k3q-9xwm", { kind: "reference", reference: "RD-7K3Q-9XWM" }],
    ["Ada@Example.ORG", { kind: "email", email: "ada@example.org" }],
    ["ada@example", { kind: "email_prefix", prefix: "ada@example" }],
    ["ADA", { kind: "email_prefix", prefix: "ada" }],
    ["@example.org", { kind: "email_prefix", prefix: "@example.org" }],
    ["a".repeat(254), { kind: "email_prefix", prefix: "a".repeat(254) }],
    ["a".repeat(255), null],
  ])("%j → %j", (text, expected) => {
    expect(parseQueueSearch(text)).toEqual(expected);
  });
});

describe("cursors", () => {
  it.each<[QueueCursor]>([
    [{ sort: "received", receivedAt: 1_777_626_000_000, id: 42 }],
    [{ sort: "received", receivedAt: 0, id: 1 }],
    [{ sort: "due", dueOn: "2026-06-01", id: 42 }],
    [{ sort: "due", dueOn: "2028-02-29", id: 1 }],
  ])("round-trip %j", (cursor) => {
    expect(decodeCursor(encodeCursor(cursor), cursor.sort)).toEqual(cursor);
  });

  it.each([
    undefined,
    "",
    "abc",
    "1.2.3",
    "-1.2",
    "1.-2",
    "1e5.2",
    "1.",
    ".1",
    "1",
    " 1.2",
    "1.2 ",
    "0x1.2",
    "1,2",
    "1.5e1",
    "1234567890123456.1",
    "1.1234567890123456",
    "1777626000000.42; DROP TABLE requests",
    "2026-06-01.42",
  ])("a received cursor rejects %j", (value) => {
    expect(decodeCursor(value, "received")).toBeNull();
  });

  it.each([undefined, "", "2026-06-01", "2026-06-01.", "2026-02-30.1", "2026-13-01.1", "26-06-01.1", "2026-06-01.1.2", "1777626000000.42", "2026-06-01.-1"])(
    "a due-date cursor rejects %j",
    (value) => {
      expect(decodeCursor(value, "due")).toBeNull();
    },
  );
});

describe("queueHref", () => {
  it.each<[Partial<QueueQuery>, string]>([
    [{}, "/staff"],
    [{ status: "in_review" }, "/staff?status=in_review"],
    [{ sort: "due" }, "/staff?sort=due"],
    [
      { status: "received", type: "access", deadline: "due_soon", assigned: "me", q: "ada@example.org", sort: "due", after: { sort: "due", dueOn: "2026-06-01", id: 7 } },
      "/staff?q=ada%40example.org&status=received&type=access&deadline=due_soon&assigned=me&sort=due&after=2026-06-01.7",
    ],
    [{ q: "a&b=c d" }, "/staff?q=a%26b%3Dc+d"],
    [{ duplicates: "flagged", type: "erasure" }, "/staff?type=erasure&duplicates=flagged"],
  ])("%j → %s", (view, expected) => {
    expect(queueHref({ ...DEFAULTS, ...view })).toBe(expected);
  });

  it("parsing a link gives back the view it was made from", () => {
    const view: QueueQuery = {
      status: "awaiting_supporter",
      type: "concern",
      deadline: "overdue",
      assigned: "none",
      duplicates: "flagged",
      q: "RD-7K3Q-9XWM",
      search: { kind: "reference", reference: "RD-7K3Q-9XWM" },
      sort: "due",
      after: { sort: "due", dueOn: "2026-06-01", id: 9 },
    };
    const params = Object.fromEntries(new URL(queueHref(view), "http://x").searchParams);
    expect(parseQueueQuery(params)).toEqual(view);
  });
});

describe("canonicalQueueRedirect", () => {
  const redirectFor = (params: SearchParams) => canonicalQueueRedirect(params, parseQueueQuery(params));

  it.each<[string, SearchParams]>([
    ["no query", {}],
    ["a canonical query", { q: "ada", status: "received", sort: "due", after: "2026-06-01.4" }],
    ["a canonical query in another order", { sort: "due", status: "received", q: "ada" }],
  ])("leaves %s alone", (_name, params) => {
    expect(redirectFor(params)).toBeNull();
  });

  it.each<[string, SearchParams, string]>([
    ["the empty fields a form sends", { q: "ada", status: "", type: "", deadline: "", assigned: "", sort: "received" }, "/staff?q=ada"],
    ["an untouched form", { q: "", status: "", type: "", deadline: "", assigned: "", sort: "received" }, "/staff"],
    ["unknown values", { status: "lost", type: "erasure", sort: "sideways" }, "/staff?type=erasure"],
    ["keys it does not know", { status: "received", utm_source: "mail" }, "/staff?status=received"],
    ["a repeated key", { status: ["received", "completed"] }, "/staff?status=received"],
    ["a malformed cursor", { after: "garbage" }, "/staff"],
    ["spaces around the search", { q: "  ada  " }, "/staff?q=ada"],
    ["a search too long to be an address", { q: "a".repeat(300) }, "/staff"],
  ])("rewrites %s", (_name, params, expected) => {
    expect(redirectFor(params)).toBe(expected);
    // The rewritten link is itself canonical, so there is never a second redirect.
    const again = Object.fromEntries(new URL(expected, "http://x").searchParams);
    expect(redirectFor(again)).toBeNull();
  });
});
