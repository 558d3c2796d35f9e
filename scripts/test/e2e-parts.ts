/**
 * The two parts `npm run test:e2e` runs side by side (scripts/test/e2e.ts),
 * by Playwright project (playwright.config.ts): the shared tests, and the
 * projects that each need the server to themselves, in this order.
 */
export const E2E_PARTS = {
  shared: ["shared"],
  serial: ["outside-systems", "connected-systems", "alone", "limits"],
} as const;

export type E2ePart = keyof typeof E2E_PARTS;
