import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requests, type RequestStatus } from "@/db/schema";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import { approveRequest, startReview } from "@/lib/requests/casework/staff-step";
import { filed } from "@/lib/testing/filed";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { seedSupporter } from "@/lib/testing/supporter-records";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { parseQueueQuery } from "./queue-query";
import { loadQueuePage } from "./queue-view";

const now = new Date("2026-05-30T12:00:00Z");
const BASE = Date.parse("2026-05-01T09:00:00Z");

describe("loadQueuePage", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
    const statuses: RequestStatus[] = ["received", "received", "in_review", "completed", "received"];
    statuses.forEach((status, i) =>
      t.db
        .insert(requests)
        .values({
          reference: `RD-000${i}-TEST`,
          type: "access",
          status,
          subjectEmail: `p${i}@example.org`,
          details: {},
          regime: "gdpr",
          receivedAt: new Date(BASE + i * 1000),
          receivedOn: "2026-05-01",
          dueOn: "2026-06-01",
          updatedAt: new Date(BASE),
        })
        .run(),
    );
  });
  afterEach(() => t.close());

  const load = (params: Record<string, string>, pageSize?: number) =>
    loadQueuePage(t.db, { query: parseQueueQuery(params), viewerEmail: "me@example.org", now, timeZone: "UTC", pageSize });

  it("the first page of the whole queue", () => {
    const view = load({}, 2);
    expect(view).toMatchObject({
      filtered: false,
      caption: "Requests, newest first",
      firstPageHref: null,
      nextPageHref: `/staff?after=${BASE + 3000}.4`,
      clearHref: "/staff",
      total: 5,
    });
    expect(view.rows.map((r) => r.reference)).toEqual(["RD-0004-TEST", "RD-0003-TEST"]);
    expect(view.counts.slice(0, 2)).toEqual([
      { status: "received", label: "received", count: 3, href: "/staff?status=received", current: false },
      { status: "in_review", label: "in review", count: 1, href: "/staff?status=in_review", current: false },
    ]);
  });

  it("a later, filtered page keeps its filters in every link", () => {
    const view = load({ status: "received", q: "p", sort: "due", after: "2026-06-01.1" }, 1);
    expect(view.rows.map((r) => r.reference)).toEqual(["RD-0001-TEST"]);
    expect(view).toMatchObject({
      filtered: true,
      caption: "Requests, soonest due first, filtered",
      firstPageHref: "/staff?q=p&status=received&sort=due",
      nextPageHref: "/staff?q=p&status=received&sort=due&after=2026-06-01.2",
      clearHref: "/staff?sort=due",
    });
    expect(view.counts.find((c) => c.current)).toMatchObject({ status: "received", href: "/staff?status=received&sort=due" });
    // Counts are of the whole queue, whatever the filters.
    expect(view.total).toBe(5);
  });

  it.each<[Record<string, string>, string]>([
    [{ status: "denied" }, "No requests match these filters."],
    [{ after: `${BASE - 1}.1` }, "No more requests."],
  ])("an empty page says why: %j", (params, text) => {
    expect(load(params)).toMatchObject({ rows: [], emptyText: text, nextPageHref: null });
  });

  it("bad values are ignored, not refused", () => {
    const view = load({ status: "nope", type: "<script>", deadline: "x", assigned: "y", sort: "z", after: "zz" });
    expect(view.filtered).toBe(false);
    expect(view.rows).toHaveLength(5);
  });
});

describe("the queue after an erasure", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  it("shows an erased requester as \"erased\", never the hash that stands for the address", () => {
    const email = "erin@example.org";
    seedSupporter(t.db, { email });
    const { reference } = filed(fileVerifiedRequest(t.db, { submission: { type: "erasure", email, details: { type: "erasure", confirmed: true } }, now, ctx: TEST_CONTEXT }));
    const reviewer = { type: "staff", email: "rita@example.org", role: "reviewer" } as const;
    const reviewing = startReview(t.db, { reference, actor: reviewer, expectedVersion: 1, now });
    if (!reviewing.ok) throw new Error(reviewing.message);
    const approved = approveRequest(t.db, { reference, actor: reviewer, expectedVersion: reviewing.request.version, now, ctx: TEST_CONTEXT, confirmedErasure: true });
    expect(approved).toMatchObject({ ok: true, request: { status: "completed" } });
    const [row] = loadQueuePage(t.db, { query: parseQueueQuery({}), viewerEmail: "me@example.org", now, timeZone: "UTC" }).rows;
    expect(row).toMatchObject({ reference, email: "erased", erased: true });
  });
});
