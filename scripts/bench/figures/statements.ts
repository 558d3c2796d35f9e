/**
 * SQL statements per queue page, counted as SQLite runs them against the
 * bench's million requests, for the two queue pages the bench loads.
 */
import { loadViewer } from "@/lib/auth/load-viewer";
import { parseQueueQuery } from "@/lib/queue/queue-query";
import { loadQueuePage } from "@/lib/queue/queue-view";
import { countingConnection } from "@/lib/testing/statement-counter";
import { withinBudget, type Figure } from "../figure";
import { deepFilteredPath } from "./pages";

export const statementsPerQueuePage: Figure = {
  name: "SQL statements per queue page",
  async measure(ctx) {
    const counting = countingConnection(ctx.databasePath);
    try {
      const pages = ["/staff", deepFilteredPath(ctx.databasePath, ctx.world.staff.email), "/staff?q=ada"];
      const counts = pages.map((path) => {
        const params = Object.fromEntries(new URL(path, ctx.baseUrl).searchParams);
        return counting.count((db) => {
          const viewer = loadViewer(db, ctx.world.staff.sessionToken, new Date());
          if (!viewer) throw new Error("The bench's staff session did not load.");
          return loadQueuePage(db, { query: parseQueueQuery(params), viewerEmail: viewer.email, now: new Date(), timeZone: "UTC" });
        }).statements.length;
      });
      const value = Math.max(...counts);
      const budget = { kind: "at_most", limit: 4 } as const;
      return { name: "SQL statements per queue page", value, unit: "statements", budget, passed: withinBudget(value, budget), detail: Object.fromEntries(pages.map((p, i) => [p, counts[i]!])) };
    } finally {
      counting.close();
    }
  },
};
