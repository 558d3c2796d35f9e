/**
 * Erasing a person removes what signed them in and their unconfirmed drafts,
 * found by their address. Each of those must be found through an index:
 * a bulk erasure of thousands would otherwise read every draft and every
 * account once per person. These tests read SQLite's own plan.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestDrafts, users, verificationTokens } from "@/db/schema";
import { queryPlan, type PlannedQuery } from "@/lib/testing/query-plan";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";

let t: TempDatabase;
beforeAll(() => {
  t = openTempDatabase();
});
afterAll(() => t.close());

describe("what an erasure removes by address is found through an index", () => {
  const email = "ada@example.org";
  it.each<[string, () => PlannedQuery, string[]]>([
    ["the person's drafts", () => t.db.delete(requestDrafts).where(eq(requestDrafts.email, email)), ["request_drafts"]],
    // Its sessions and accounts go with it (ON DELETE CASCADE), each found by the user's id.
    ["their sign-in account", () => t.db.delete(users).where(eq(users.email, email)), ["users", "sessions", "accounts"]],
    ["their unused sign-in links", () => t.db.delete(verificationTokens).where(eq(verificationTokens.identifier, email)), ["verification_tokens"]],
  ])("%s", (_what, query, tables) => {
    const steps = queryPlan(t.db, query());
    expect(steps.map((step) => step.split(" ")[1])).toEqual(tables);
    for (const step of steps) expect(step).toMatch(/^SEARCH \S+ USING (COVERING )?(INDEX \S+|PRIMARY KEY) \(/);
  });
});
