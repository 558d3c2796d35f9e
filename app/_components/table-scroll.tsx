import type { ReactNode } from "react";

/**
 * A wide table's own scroll box, so the page itself never scrolls sideways
 * (WCAG 1.4.10): a named region, focusable so that keyboard users can
 * scroll it, positioned (in globals.css) so that nothing inside widens the
 * page. Named by `label`, or by the ids in `labelledBy`.
 */
export function TableScroll({ label, labelledBy, children }: { label?: string; labelledBy?: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} aria-labelledby={labelledBy} tabIndex={0}>
      {children}
    </div>
  );
}
