import { CHART_SERIES, CHART_SIZES, SERIES_COLOURS } from "@/lib/reports/bar-chart";
import styles from "./reports.module.css";

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
 * The monthly chart, an image the server draws (chart.svg): a phone's
 * browser fetches the one drawn for its width, so the labels stay at a
 * readable size instead of shrinking to fit, and every other browser the
 * wide one; only one is fetched. To assistive technology it is one image
 * with the chart's name, described by the sentences under it.
 */
export function ReportChart({ months, title, describedBy }: { months: number; title: string; describedBy: string }) {
  const src = (size: keyof typeof CHART_SIZES) => `/staff/reports/chart.svg?months=${months}&size=${size}`;
  return (
    <picture>
      <source media="(max-width: 36rem)" srcSet={src("narrow")} width={CHART_SIZES.narrow.width} height={CHART_SIZES.narrow.height} />
      <img className={styles.chart} src={src("wide")} width={CHART_SIZES.wide.width} height={CHART_SIZES.wide.height} alt={title} aria-describedby={describedBy} />
    </picture>
  );
}
