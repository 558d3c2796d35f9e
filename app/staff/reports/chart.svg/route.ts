import { createHash } from "node:crypto";
import { ownValue } from "@/lib/http/own-value";
import { CHART_SIZES, chartSvg, describeChart, layoutBarChart } from "@/lib/reports/bar-chart";
import { reportMonthsFrom } from "@/lib/reports/monthly-report";
import { reportsOf } from "@/server/reports";
import { staffOnlyGet } from "@/server/staff-route";

/**
 * The reports page's chart as an image, drawn for a page's width or a
 * phone's (`?size=narrow`), over the page's period (`?months=`). Staff only,
 * checked here. The browser keeps it and asks again with its ETag: while the
 * figures are the same it gets a 304 and draws what it has.
 */
export const GET = staffOnlyGet("/staff/reports", (_viewer, request) => {
  const params = new URL(request.url).searchParams;
  const size = ownValue(CHART_SIZES, params.get("size") ?? "wide");
  if (!size) {
    return new Response("The chart comes in two sizes: size=wide or size=narrow.\n", {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  }
  const { report } = reportsOf(reportMonthsFrom(params.get("months") ?? undefined));
  const svg = chartSvg(layoutBarChart(report.months, size), describeChart(report));
  const etag = `"${createHash("sha256").update(svg).digest("base64url").slice(0, 27)}"`;
  // Private: the figures are the organisation's; no-cache: kept, but checked with the ETag before each use.
  const headers = { "Cache-Control": "private, no-cache", ETag: etag };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(svg, { headers: { ...headers, "Content-Type": "image/svg+xml; charset=utf-8" } });
});
