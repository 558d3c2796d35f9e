import { CHART_SERIES, type ChartLayout, type ChartSeriesKey } from "@/lib/reports/bar-chart";
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
 * announced twice); `id` keeps their names apart.
 */
export function BarChart({ layout, title, summary, id, className }: { layout: ChartLayout; title: string; summary: string; id: string; className: string }) {
  const { plot } = layout;
  return (
    <svg
      className={`${styles.chart} ${className}`}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      role="img"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-summary`}
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-summary`}>{summary}</desc>
      <g fontSize="12" fill="#4b5563">
        {layout.ticks.map((t) => (
          <g key={t.value}>
            <line x1={plot.left} x2={plot.right} y1={t.y} y2={t.y} stroke={t.value === 0 ? "#111827" : "#e5e7eb"} />
            <text x={plot.left - 6} y={t.y + 4} textAnchor="end">
              {t.label}
            </text>
          </g>
        ))}
      </g>
      {layout.groups.map((g) => (
        <g key={g.month}>
          <title>{g.title}</title>
          {g.bars.map((b) => (
            <rect key={b.series} x={b.x} y={b.y} width={b.width} height={b.height} fill={SERIES_COLOURS[b.series]} />
          ))}
          {g.label ? (
            <text x={g.centre} y={plot.bottom + 15} textAnchor="middle" fontSize="12" fill="#111827">
              {g.label}
            </text>
          ) : null}
          {g.yearLabel ? (
            <text x={g.centre} y={plot.bottom + 30} textAnchor="middle" fontSize="12" fill="#4b5563">
              {g.yearLabel}
            </text>
          ) : null}
        </g>
      ))}
    </svg>
  );
}
