import { CHART_SERIES, chartMarkup, type ChartLayout, type ChartSeriesKey } from "@/lib/reports/bar-chart";
import styles from "./reports.module.css";

// Blue, green and orange stay apart for the common colour-vision deficiencies, and each has at least
// 3:1 contrast with the white page; the legend and the table carry the same information in words.
export const SERIES_COLOURS: Record<ChartSeriesKey, string> = {
  received: "#1d4ed8",
  completed: "#15803d",
  denied: "#c2410c",
};

export function ChartLegend() {
  return (
    <ul className={styles.legend}>
      {CHART_SERIES.map((s) => (
        <li key={s.key}>
          <span className={styles.swatch} style={{ background: SERIES_COLOURS[s.key] }} aria-hidden="true" />
          {s.label}
        </li>
      ))}
    </ul>
  );
}

/**
 * A server-drawn bar chart; to assistive technology it is one image with a
 * name and a description. The page draws it twice, wide and narrow, and
 * shows one by the screen's width (the other is display: none, so it is not
 * announced twice); `id` keeps their names apart. Its inside is drawn as one
 * piece of escaped markup (lib/reports/bar-chart.ts, `chartMarkup`).
 */
export function BarChart({ layout, title, summary, id, className }: { layout: ChartLayout; title: string; summary: string; id: string; className: string }) {
  return (
    <svg
      className={`${styles.chart} ${className}`}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      role="img"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-summary`}
      dangerouslySetInnerHTML={{ __html: chartMarkup(layout, { id, title, summary, colours: SERIES_COLOURS }) }}
    />
  );
}
