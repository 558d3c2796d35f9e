import { createElement as h, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { CHART_SIZES, chartSvg, describeChart, layoutBarChart, niceScale, type ChartLayout, type ChartSeriesKey } from "./bar-chart";
import { monthName, monthsEndingWith, shortMonthName } from "@/lib/calendar/months";
import type { MonthFigures, MonthlyReport } from "./monthly-report";

function months(values: Array<[number, number, number]>, last = "2026-05"): MonthFigures[] {
  return monthsEndingWith(last, values.length).map((month, i) => {
    const [received, completed, denied] = values[i]!;
    return { month, label: monthName(month), shortLabel: shortMonthName(month), received, completed, denied, medianDaysToClose: null, overdueNow: 0 };
  });
}

function report(figures: MonthFigures[]): MonthlyReport {
  const sum = (k: "received" | "completed" | "denied") => figures.reduce((t, m) => t + m[k], 0);
  return {
    timeZone: "UTC",
    today: "2026-05-20",
    first: figures[0]!.month,
    last: figures[figures.length - 1]!.month,
    months: figures,
    totals: { received: sum("received"), completed: sum("completed"), denied: sum("denied") },
    overdueNow: 0,
    overdueDueEarlier: 0,
  };
}

describe("niceScale", () => {
  it.each([
    [0, 1, 1],
    [1, 1, 1],
    [3, 3, 1],
    [4, 4, 1],
    [5, 6, 2],
    [7, 8, 2],
    [8, 8, 2],
    [9, 10, 5],
    [18, 20, 5],
    [20, 20, 5],
    [21, 30, 10],
    [99, 100, 50],
    [101, 150, 50],
    [1234, 1500, 500],
    [1_000_000, 1_000_000, 500_000],
  ])("max %i: top %i, step %i", (max, top, step) => {
    expect(niceScale(max)).toEqual({ top, step });
  });
});

describe("layoutBarChart", () => {
  it("places three bars per month in order, scaled to the top of the scale", () => {
    const layout = layoutBarChart(months([[8, 4, 0], [2, 6, 1]]), { width: 244, height: 148 });
    // Plot from x 44 to 236 (two groups of 96) and y 10 to 110 (100 high); the scale runs to 8.
    expect(layout.plot).toEqual({ left: 44, right: 236, top: 10, bottom: 110 });
    expect(layout.ticks.map((t) => [t.value, t.y])).toEqual([[0, 110], [2, 85], [4, 60], [6, 35], [8, 10]]);
    expect(layout.groups.map((g) => [g.month, g.label, g.yearLabel, g.centre])).toEqual([
      ["2026-04", "Apr", "2026", 92],
      ["2026-05", "May", null, 188],
    ]);
    expect(layout.groups[0]!.bars).toEqual([
      { series: "received", value: 8, x: 53.6, y: 10, width: 25.6, height: 100 },
      { series: "completed", value: 4, x: 79.2, y: 60, width: 25.6, height: 50 },
      { series: "denied", value: 0, x: 104.8, y: 110, width: 25.6, height: 0 },
    ]);
    expect(layout.groups[1]!.bars.map((b) => [b.x, b.height])).toEqual([[149.6, 25], [175.2, 75], [200.8, 12.5]]);
    expect(layout.groups[1]!.title).toBe("May 2026: 2 received, 6 completed, 1 refused");
  });

  it("labels the year under the first month and each January", () => {
    const layout = layoutBarChart(months(Array.from({ length: 12 }, () => [0, 0, 0] as [number, number, number]), "2026-05"));
    expect(layout.groups.filter((g) => g.yearLabel).map((g) => [g.label, g.yearLabel])).toEqual([
      ["Jun", "2025"],
      ["Jan", "2026"],
    ]);
    expect(layout.ticks.map((t) => t.value)).toEqual([0, 1]);
    expect(layout.groups.every((g) => g.bars.every((b) => b.height === 0))).toBe(true);
  });

  it.each<[number, number, string[], Array<[string, string]>]>([
    // 720 wide: a year of months has room for every label...
    [720, 12, ["Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May"], [["Jun", "2025"], ["Jan", "2026"]]],
    // ...until two years of months leave too little room for each.
    [720, 24, ["Jun", "Aug", "Oct", "Dec", "Feb", "Apr", "Jun", "Aug", "Oct", "Dec", "Feb", "Apr"], [["Jun", "2024"], ["Feb", "2025"], ["Feb", "2026"]]],
    // A phone's chart labels every second or third month; the year shows where it changes, even when January is skipped.
    [360, 6, ["Dec", "Jan", "Feb", "Mar", "Apr", "May"], [["Dec", "2025"], ["Jan", "2026"]]],
    [360, 12, ["Jun", "Aug", "Oct", "Dec", "Feb", "Apr"], [["Jun", "2025"], ["Feb", "2026"]]],
    [360, 24, ["Jun", "Sept", "Dec", "Mar", "Jun", "Sept", "Dec", "Mar"], [["Jun", "2024"], ["Mar", "2025"], ["Mar", "2026"]]],
  ])("at %i wide with %i months, labels %j", (width, count, labels, years) => {
    const layout = layoutBarChart(months(Array.from({ length: count }, () => [1, 1, 1] as [number, number, number]), "2026-05"), { width, height: 240 });
    expect(layout.groups.flatMap((g) => (g.label ? [g.label] : []))).toEqual(labels);
    expect(layout.groups.filter((g) => g.yearLabel).map((g) => [g.label, g.yearLabel])).toEqual(years);
    // Every month keeps its bars, labelled or not.
    expect(layout.groups.every((g) => g.bars.length === 3)).toBe(true);
  });

  it("writes large tick values compactly", () => {
    expect(layoutBarChart(months([[1_000_000, 0, 0]])).ticks.map((t) => t.label)).toEqual(["0", "500K", "1M"]);
    expect(layoutBarChart(months([[5_500_000, 0, 0]])).ticks.map((t) => t.label)).toEqual(["0", "2M", "4M", "6M"]);
    expect(layoutBarChart(months([[55_000, 0, 0]])).ticks.map((t) => t.label)).toEqual(["0", "20K", "40K", "60K"]);
    expect(layoutBarChart(months([[5_500, 0, 0]])).ticks.map((t) => t.label)).toEqual(["0", "2000", "4000", "6000"]);
  });
});

describe("describeChart", () => {
  it("names the chart and sums it up in words", () => {
    expect(describeChart(report(months([[3, 1, 0], [18, 9, 2], [1, 0, 0]])))).toEqual({
      title: "Requests received, completed and refused per month, March 2026 to May 2026",
      summary:
        "In the 3 months from March 2026 to May 2026, 22 requests were received, 10 completed and 2 refused. " +
        "The most arrived in April 2026: 18. The table below gives each month's figures.",
    });
  });

  it.each([
    [[[1, 0, 0]], "In the 1 month from May 2026 to May 2026, 1 request was received, 0 completed and 0 refused. The most arrived in May 2026: 1."],
    [[[0, 2, 0]], "In the 1 month from May 2026 to May 2026, 0 requests were received, 2 completed and 0 refused. The table"],
    [[[1200, 1000, 5]], "1,200 requests were received, 1,000 completed and 5 refused. The most arrived in May 2026: 1,200."],
    [[[0, 0, 0], [0, 0, 0]], "No requests were received, completed or refused in the 2 months from April 2026 to May 2026."],
  ] as Array<[Array<[number, number, number]>, string]>)("%j", (values, expected) => {
    expect(describeChart(report(months(values))).summary).toContain(expected);
  });
});

describe("chartSvg", () => {
  const colours: Record<ChartSeriesKey, string> = { received: "#1d4ed8", completed: "#15803d", denied: "#c2410c" };

  /** The chart as React would draw it element by element: the oracle for the hand-written markup. */
  function drawnByReact(layout: ChartLayout, title: string, summary: string): ReactNode {
    const { plot, width, height } = layout;
    return h(
      "svg",
      { xmlns: "http://www.w3.org/2000/svg", width, height, viewBox: `0 0 ${width} ${height}`, fontFamily: "system-ui, sans-serif" },
      h("title", null, title),
      h("desc", null, summary),
      h("rect", { width, height, fill: "#ffffff" }),
      h(
        "g",
        { fontSize: "12", fill: "#4b5563" },
        layout.ticks.map((t) =>
          h(
            "g",
            { key: t.value },
            h("line", { x1: plot.left, x2: plot.right, y1: t.y, y2: t.y, stroke: t.value === 0 ? "#111827" : "#e5e7eb" }),
            h("text", { x: plot.left - 6, y: t.y + 4, textAnchor: "end" }, t.label),
          ),
        ),
      ),
      ...layout.groups.map((g) =>
        h(
          "g",
          { key: g.month },
          h("title", null, g.title),
          ...g.bars.map((b) => h("rect", { key: b.series, x: b.x, y: b.y, width: b.width, height: b.height, fill: colours[b.series] })),
          g.label ? h("text", { x: g.centre, y: plot.bottom + 15, textAnchor: "middle", fontSize: "12", fill: "#111827" }, g.label) : null,
          g.yearLabel ? h("text", { x: g.centre, y: plot.bottom + 30, textAnchor: "middle", fontSize: "12", fill: "#4b5563" }, g.yearLabel) : null,
        ),
      ),
    );
  }
  // React writes an apostrophe as &#x27;, escapeHtml as &#39;: the same character.
  const same = (markup: string) => markup.replaceAll("&#x27;", "&#39;");

  it.each<[string, Array<[number, number, number]>, { width: number; height: number }]>([
    ["twelve months, wide", Array.from({ length: 12 }, (_, i) => [i * 13, i * 7, i % 3] as [number, number, number]), CHART_SIZES.wide],
    ["twelve months, narrow (every other month labelled)", Array.from({ length: 12 }, (_, i) => [i * 1300, i * 700, i] as [number, number, number]), CHART_SIZES.narrow],
    ["twenty-four months across two years", Array.from({ length: 24 }, (_, i) => [i, i, 0] as [number, number, number]), CHART_SIZES.wide],
    ["nothing at all", Array.from({ length: 3 }, () => [0, 0, 0] as [number, number, number]), CHART_SIZES.wide],
  ])("is what React would draw element by element: %s", (_what, values, size) => {
    const figures = months(values);
    const layout = layoutBarChart(figures, size);
    const { title, summary } = describeChart(report(figures));
    expect(same(chartSvg(layout, { title, summary }))).toBe(same(renderToStaticMarkup(drawnByReact(layout, title, summary))));
  });

  it("is a document of its own, at the size it was drawn for", () => {
    const layout = layoutBarChart(months([[3, 2, 1]]), CHART_SIZES.narrow);
    const svg = chartSvg(layout, { title: "t", summary: "s" });
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="360" height="240" viewBox="0 0 360 240" /);
    expect(svg.endsWith("</svg>")).toBe(true);
  });

  it("escapes every word it is given", () => {
    const layout = layoutBarChart(months([[1, 1, 0]]));
    const markup = chartSvg(
      { ...layout, groups: layout.groups.map((g) => ({ ...g, title: `<script>alert("x")</script>`, label: "A&B" })) },
      { title: "<b>title</b>", summary: "it's <i>", colours: { ...colours, received: `"><script>` } },
    );
    expect(markup).not.toMatch(/<script|<img|<b>|<i>/);
    expect(markup).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(markup).toContain("A&amp;B");
    expect(markup).toContain("it&#39;s &lt;i&gt;");
  });
});
