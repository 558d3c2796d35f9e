/**
 * The API's list of requests: GET /api/v1/requests, its first page of 50,
 * with an API key, against the empty route handler, back to back in the
 * same server. The call does all an API call does: it finds the key by
 * its hash, counts it against the key's rate, and records the call; the
 * page itself, polled again and again while nothing changes, is the answer
 * the server kept from the first call (`listRequestsJson`, db/change-version.ts), as it is
 * for a program polling the list.
 */
import { flatFigure, p99Figure, ratioFigure, type Figure } from "../figure";
import { emptyRoute } from "./baselines";

const P99_BUDGET_MS = 100;

export const apiFirstPage: Figure = {
  name: "GET /api/v1/requests first page",
  async measure(ctx) {
    const name = "GET /api/v1/requests first page";
    const call = { label: name, path: "/api/v1/requests", headers: { authorization: `Bearer ${ctx.world.apiKey}` }, status: 200 };
    const [baseline, subject, short] = await ctx.compare([
      { on: "full", spec: emptyRoute() },
      { on: "full", spec: call },
      { on: "short", spec: { label: name, path: "/api/v1/requests", headers: { authorization: `Bearer ${ctx.history.world.apiKey}` }, status: 200 } },
    ]);
    const latency = await ctx.latency(call);
    return [
      ratioFigure(name, subject, baseline, 0.6),
      p99Figure(name, latency, subject, P99_BUDGET_MS, { path: "/api/v1/requests" }),
      flatFigure(name, subject, short, { full: ctx.requests, short: ctx.history.requests }),
    ];
  },
};
