/**
 * Global Privacy Control (https://w3c.github.io/gpc/): a browser set to it
 * sends `Sec-GPC: 1` with every request. A server must ignore the header
 * unless its value is exactly "1"; several headers count as one "1" when at
 * least one of them is exactly "1" (a runtime that folds repeated headers
 * joins them with ", ", so each part is judged on its own).
 */
export const PRIVACY_SIGNAL_HEADER = "sec-gpc";

export function sendsPrivacySignal(value: string | null | undefined): boolean {
  if (value === null || value === undefined) return false;
  return value.split(",").some((part) => part.trim() === "1");
}

/**
 * The GPC support resource, served at /.well-known/gpc.json: `gpc: true`
 * says the site means to abide by GPC requests at least as far as the law
 * requires; `lastUpdate` (an RFC 3339 full-date) fixes when that statement
 * was made, so later changes to the specification do not change its
 * meaning. Change the date when the way Rightsdesk honours the signal changes.
 */
export const GPC_SUPPORT = { gpc: true, lastUpdate: "2026-12-05" } as const;
