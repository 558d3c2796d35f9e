/**
 * The accessibility check every page is held to: axe's WCAG 2.2 AA rules,
 * and only the serious and critical findings. It waits for the page's title
 * first: a page reached by a form's redirect gets its <title> in a later part
 * of the stream than the content the test waits for, and axe would report the
 * moment in between. A page that never gets one still fails, on axe's rule.
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

export async function seriousViolations(page: Page) {
  await page.waitForFunction(() => document.title.trim() !== "", undefined, { timeout: 5_000 }).catch(() => undefined);
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) }));
}
