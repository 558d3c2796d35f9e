/**
 * Where the bars of the monthly chart go, and what the chart says in words.
 * Pure geometry, so the page only draws it and the numbers can be tested.
 */
import { escapeHtml } from "@/lib/http/escape";
import { countOf } from "@/lib/language/plural";
import { monthName } from "@/lib/calendar/months";
import type { MonthFigures, MonthlyReport } from "./monthly-report";

export const CHART_SERIES = [
  { key: "received", label: "Received" },
  { key: "completed", label: "Completed" },
  { key: "denied", label: "Refused" },
] as const;
export type ChartSeriesKey = (typeof CHART_SERIES)[number]["key"];

export type ChartBar = { series: ChartSeriesKey; value: number; x: number; y: number; width: number; height: number };
export type ChartGroup = {
  month: string;
  /** "Mar"; null for a month left unlabelled because the labels would not fit side by side. */
  label: string | null;
  /** The year, under the first labelled month and wherever the year changes between labelled months. */
  yearLabel: string | null;
  /** For a hover title: "March 2026: 18 received, 12 completed, 1 refused". */
  title: string;
  centre: number;
  bars: ChartBar[];
};
export type ChartLayout = {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  ticks: Array<{ value: number; label: string; y: number }>;
  groups: ChartGroup[];
};

/** The top of the scale and the gap between its lines: 1, 2 or 5 times a power of ten, at most four gaps. */
export function niceScale(max: number): { top: number; step: number } {
  const rough = Math.max(max, 1) / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, ([1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power));
  return { top: Math.max(step, Math.ceil(max / step) * step), step };
}

const round = (n: number) => Math.round(n * 10) / 10;
/** One formatter for every count (`toLocaleString` builds one per call). */
const COUNT = new Intl.NumberFormat("en-GB");
/** "1.5K", "2M": tick values are round, so this is exact, and it does not depend on the server's locale data. */
function compact(n: number): string {
  if (n >= 1_000_000) return `${n / 1_000_000}M`;
  if (n >= 10_000) return `${n / 1000}K`;
  return String(n);
}

/**
 * The room a month's label needs, in the chart's own units: a three-letter
 * month at 12 units, with a little space. On a narrow chart every second (or
 * third) month is labelled, so the labels stay readable instead of shrinking
 * into each other.
 */
const LABEL_ROOM = 30;

/**
 * Blue, green and orange stay apart for the common colour-vision
 * deficiencies, and each has at least 3:1 contrast with the white page; the
 * legend and the table carry the same information in words.
 */
export const SERIES_COLOURS: Record<ChartSeriesKey, string> = {
  received: "#1d4ed8",
  completed: "#15803d",
  denied: "#c2410c",
};

/** An SVG shown as an image does not inherit the page's fonts; these are the first and last of the page's list. */
const CHART_FONTS = "system-ui, sans-serif";

/** The chart's two drawings: for a page's usual width, and for a phone's, where labels stay about 12 pixels high. */
export const CHART_SIZES = { wide: { width: 720, height: 260 }, narrow: { width: 360, height: 240 } } as const;
export type ChartSize = keyof typeof CHART_SIZES;

export function layoutBarChart(months: readonly MonthFigures[], size: { width: number; height: number } = CHART_SIZES.wide): ChartLayout {
  const plot = { left: 44, right: size.width - 8, top: 10, bottom: size.height - 38 };
  const max = Math.max(0, ...months.flatMap((m) => CHART_SERIES.map((s) => m[s.key])));
  const { top, step } = niceScale(max);
  const yOf = (value: number) => round(plot.bottom - (value / top) * (plot.bottom - plot.top));
  const groupWidth = (plot.right - plot.left) / Math.max(1, months.length);
  // A fifth of each group is the gap between months.
  const barWidth = (groupWidth * 0.8) / CHART_SERIES.length;
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => ({
    value: i * step,
    label: compact(i * step),
    y: yOf(i * step),
  }));
  const labelEvery = Math.max(1, Math.ceil(LABEL_ROOM / groupWidth));
  let lastLabelledYear: string | null = null;
  const groups = months.map((m, i): ChartGroup => {
    const start = plot.left + i * groupWidth + groupWidth * 0.1;
    const labelled = i % labelEvery === 0;
    const year = m.month.slice(0, 4);
    const yearLabel = labelled && year !== lastLabelledYear ? year : null;
    if (labelled) lastLabelledYear = year;
    return {
      month: m.month,
      label: labelled ? m.shortLabel : null,
      yearLabel,
      title: `${m.label}: ${m.received} received, ${m.completed} completed, ${m.denied} refused`,
      centre: round(plot.left + (i + 0.5) * groupWidth),
      bars: CHART_SERIES.map((s, j) => {
        const y = yOf(m[s.key]);
        return { series: s.key, value: m[s.key], x: round(start + j * barWidth), y, width: round(barWidth), height: round(plot.bottom - y) };
      }),
    };
  });
  return { width: size.width, height: size.height, plot, ticks, groups };
}


/** The chart's name and its text alternative: what a glance at the bars tells, in sentences. */
export function describeChart(report: MonthlyReport): { title: string; summary: string } {
  const span = `${monthName(report.first)} to ${monthName(report.last)}`;
  const title = `Requests received, completed and refused per month, ${span}`;
  const { received, completed, denied } = report.totals;
  const period = `the ${countOf(report.months.length, "month", "months")} from ${span}`;
  if (received + completed + denied === 0) {
    return { title, summary: `No requests were received, completed or refused in ${period}.` };
  }
  const busiest = report.months.reduce((best, m) => (m.received > best.received ? m : best));
  const peak = busiest.received > 0 ? ` The most arrived in ${busiest.label}: ${COUNT.format(busiest.received)}.` : "";
  return {
    title,
    summary:
      `In ${period}, ${countOf(received, "request was", "requests were")} received, ` +
      `${COUNT.format(completed)} completed and ${COUNT.format(denied)} refused.${peak} ` +
      "The table below gives each month's figures.",
  };
}

/**
 * The chart as an SVG document of its own, which the reports page shows as
 * an image (app/staff/reports/chart.svg): its name and description, the
 * scale, and each month's bars and labels, with a hover title per month.
 * Every word in it goes through `escapeHtml`; the rest are numbers and the
 * given colours and fonts.
 */
export function chartSvg(layout: ChartLayout, input: { title: string; summary: string; colours?: Record<ChartSeriesKey, string> }): string {
  const { plot, width, height } = layout;
  const colours = input.colours ?? SERIES_COLOURS;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeHtml(CHART_FONTS)}">`,
    `<title>${escapeHtml(input.title)}</title><desc>${escapeHtml(input.summary)}</desc>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"></rect>`,
    `<g font-size="12" fill="#4b5563">`,
  ];
  for (const t of layout.ticks) {
    const stroke = t.value === 0 ? "#111827" : "#e5e7eb";
    parts.push(
      `<g><line x1="${plot.left}" x2="${plot.right}" y1="${t.y}" y2="${t.y}" stroke="${stroke}"></line>` +
        `<text x="${plot.left - 6}" y="${t.y + 4}" text-anchor="end">${escapeHtml(t.label)}</text></g>`,
    );
  }
  parts.push("</g>");
  for (const g of layout.groups) {
    parts.push(`<g><title>${escapeHtml(g.title)}</title>`);
    for (const b of g.bars) {
      parts.push(`<rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" fill="${escapeHtml(colours[b.series])}"></rect>`);
    }
    if (g.label) parts.push(`<text x="${g.centre}" y="${plot.bottom + 15}" text-anchor="middle" font-size="12" fill="#111827">${escapeHtml(g.label)}</text>`);
    if (g.yearLabel) parts.push(`<text x="${g.centre}" y="${plot.bottom + 30}" text-anchor="middle" font-size="12" fill="#4b5563">${escapeHtml(g.yearLabel)}</text>`);
    parts.push("</g>");
  }
  parts.push("</svg>");
  return parts.join("");
}
