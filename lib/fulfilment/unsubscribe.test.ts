import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subscriptions, supporters } from "@/db/schema";
import { fileVerifiedRequest } from "@/lib/requests/file-request";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { seedSupporter } from "@/lib/testing/supporter-records";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { unsubscribeByLink } from "./unsubscribe-by-link";
import { filed } from "@/lib/testing/filed";
import { renderOutboxMail } from "@/lib/testing/outbox";
import { requestEventsOf, requestMailsOf, requestRow } from "@/lib/testing/request-reads";

const now = new Date("2026-11-22T09:00:00Z");

describe("unsubscribe", () => {
  let t: TempDatabase;
  beforeAll(() => {
    t = openTempDatabase();
  });
  afterAll(() => t.close());

  function listsOf(email: string) {
    return t.db
      .select({ list: subscriptions.list, unsubscribedAt: subscriptions.unsubscribedAt })
      .from(subscriptions)
      .innerJoin(supporters, eq(supporters.id, subscriptions.supporterId))
      .where(eq(supporters.email, email))
      .all();
  }

  it("ends every subscription of every record with the address and completes itself as the system", async () => {
    seedSupporter(t.db, { email: "ann@example.org", lists: ["newsletter", "alerts"] });
    seedSupporter(t.db, { email: "ann@example.org", lists: ["appeals"] });
    seedSupporter(t.db, { email: "bob@example.org", lists: ["newsletter"] });
    const { reference } = filed(
      fileVerifiedRequest(t.db, {
        submission: { type: "unsubscribe", email: "ann@example.org", details: { type: "unsubscribe" } },
        now,
        ctx: TEST_CONTEXT,
      }),
    );
    expect(listsOf("ann@example.org")).toHaveLength(3);
    expect(listsOf("ann@example.org").every((s) => s.unsubscribedAt?.getTime() === now.getTime())).toBe(true);
    expect(listsOf("bob@example.org")[0]!.unsubscribedAt).toBeNull();
    expect(requestRow(t.db, reference)).toMatchObject({ status: "completed", closedAt: now });
    const events = requestEventsOf(t.db, reference);
    expect(events.map((e) => [e.action, e.actorType, e.fromStatus, e.toStatus])).toEqual([
      ["filed", "supporter", null, "received"],
      ["completed", "system", "received", "completed"],
    ]);
    // A real plural, never "subscription(s)".
    expect(events[1]!.note).toBe("Taken off every mailing list at once: 3 subscriptions ended.");
    const mails = requestMailsOf(t.db, reference);
    expect(mails.map((m) => m.kind)).toEqual(["completed"]);
    expect((await renderOutboxMail(mails[0]!)).text).toContain("3 in all");
  });

  it("through the one-click link files a completed request with system events", () => {
    seedSupporter(t.db, { email: "cat@example.org", lists: ["alerts"] });
    const { reference } = unsubscribeByLink(t.db, { email: "Cat@Example.org", now, ctx: TEST_CONTEXT });
    expect(listsOf("cat@example.org")[0]!.unsubscribedAt).toEqual(now);
    expect(requestRow(t.db, reference)).toMatchObject({ status: "completed", subjectEmail: "cat@example.org" });
    const events = requestEventsOf(t.db, reference);
    expect(events.every((e) => e.actorType === "system")).toBe(true);
    expect(events.at(-1)!.note).toBe("Taken off every mailing list at once: 1 subscription ended.");
  });
});
