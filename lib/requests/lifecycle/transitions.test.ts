import { describe, expect, it } from "vitest";
import { REQUEST_STATUSES, type RequestStatus } from "@/db/schema";
import { checkTransition, isOpen, TRANSITIONS, type Actor } from "./transitions";
import { describeStatus } from "@/lib/vocabulary/request-statuses";

// The auditor is listed so every move is shown to refuse them: no rule names one.
const ACTORS: readonly Actor[] = ["supporter", "reviewer", "admin", "auditor", "system"];
const STAFF: readonly Actor[] = ["reviewer", "admin"];

/**
 * The workflow rules, written out independently of TRANSITIONS: the key is
 * "from→to" and the value is who may make that move.
 */
const EXPECTED: Record<string, readonly Actor[]> = {
  "received→in_review": STAFF,
  "in_review→awaiting_supporter": STAFF,
  "awaiting_supporter→in_review": ["supporter", "reviewer", "admin"],
  "in_review→approved": STAFF,
  "approved→completed": ["reviewer", "admin", "system"],
  "received→completed": ["system"],
  // A request merged into another closes with it, as the system, however far it had got (it was never approved).
  "in_review→completed": ["system"],
  "awaiting_supporter→completed": ["system"],
  "received→denied": [...STAFF, "system"],
  "in_review→denied": [...STAFF, "system"],
  "awaiting_supporter→denied": [...STAFF, "system"],
  "approved→denied": STAFF,
  "received→canceled": ["supporter", "reviewer", "admin", "system"],
  "in_review→canceled": ["supporter", "reviewer", "admin", "system"],
  "awaiting_supporter→canceled": ["supporter", "reviewer", "admin", "system"],
  "approved→canceled": ["supporter", "reviewer", "admin"],
};

type Case = { from: RequestStatus; to: RequestStatus; actor: Actor; expected: "ok" | "not_allowed" | "not_permitted" };

const CASES: Case[] = REQUEST_STATUSES.flatMap((from) =>
  REQUEST_STATUSES.flatMap((to) =>
    ACTORS.map((actor): Case => {
      const allowed = EXPECTED[`${from}→${to}`];
      const expected = !allowed ? "not_allowed" : allowed.includes(actor) ? "ok" : "not_permitted";
      return { from, to, actor, expected };
    }),
  ),
);

describe("TRANSITIONS", () => {
  it("holds exactly the moves the workflow rules list, for exactly the listed actors", () => {
    const table = Object.fromEntries(TRANSITIONS.map((t) => [`${t.from}→${t.to}`, [...t.by].sort()]));
    const expected = Object.fromEntries(Object.entries(EXPECTED).map(([k, v]) => [k, [...v].sort()]));
    expect(table).toEqual(expected);
    // No move is listed twice.
    expect(TRANSITIONS).toHaveLength(Object.keys(EXPECTED).length);
  });

  it("covers every status × status × actor combination", () => {
    expect(CASES).toHaveLength(REQUEST_STATUSES.length ** 2 * ACTORS.length);
  });
});

describe("checkTransition", () => {
  it.each(CASES)("$from → $to by $actor: $expected", ({ from, to, actor, expected }) => {
    const check = checkTransition(from, to, actor);
    if (expected === "ok") {
      expect(check).toEqual({ ok: true });
      return;
    }
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.reason).toBe(expected);
    // A sentence a person can read: capital letter, full stop, no status codes.
    expect(check.message).toMatch(/^[A-Z][^_]*\.$/);
    expect(check.message).toContain(describeStatus(to));
    if (expected === "not_allowed") expect(check.message).toContain(describeStatus(from));
  });
});

describe("isOpen", () => {
  // A Record, so the type checker insists on an answer for every status.
  const OPEN: Record<RequestStatus, boolean> = {
    received: true,
    in_review: true,
    awaiting_supporter: true,
    approved: true,
    completed: false,
    denied: false,
    canceled: false,
  };

  it.each(REQUEST_STATUSES.map((status) => [status, OPEN[status]] as const))("%s → %s", (status, open) => {
    expect(isOpen(status)).toBe(open);
  });

  it("no move leaves a closed status", () => {
    for (const t of TRANSITIONS) expect(isOpen(t.from)).toBe(true);
  });
});
