/**
 * The rows of the reports page's two tables of figures, as one piece of
 * HTML each. A table of a dozen months has a hundred and more cells, and in
 * Next's pipeline every element costs a node in the server components'
 * payload, its parsing again for the HTML and its rendering: drawn as React
 * elements they cost the page more than everything else it does (the
 * figures themselves are kept between views). As one string, each table
 * costs about as much as one element. Every text in them goes through
 * `escapeHtml`, though they hold only what the page works out (month names,
 * numbers, "none closed"): the list names admins typed stay in the tables'
 * headers, drawn by React.
 */
import { escapeHtml } from "@/lib/http/escape";

/** A cell's text, or a text shown muted (`<span class="muted">`), such as "none closed". */
export type FigureCell = string | { muted: string };

/** A row: its header cell (`<th scope="row">`) and its cells (`<td>`). */
export type FigureRow = { header: string; cells: readonly FigureCell[] };

function cell(value: FigureCell): string {
  if (value === "") return "<td></td>";
  return typeof value === "string" ? `<td>${escapeHtml(value)}</td>` : `<td><span class="muted">${escapeHtml(value.muted)}</span></td>`;
}

/** The rows as HTML for a `<tbody>` or `<tfoot>`, every text escaped. */
export function figureRowsHtml(rows: readonly FigureRow[]): string {
  return rows.map((row) => `<tr><th scope="row">${escapeHtml(row.header)}</th>${row.cells.map(cell).join("")}</tr>`).join("");
}
