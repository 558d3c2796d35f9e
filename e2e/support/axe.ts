/**
 * The accessibility check every page is held to: axe's WCAG 2.2 AA rules,
 * and only the serious and critical findings. It waits for the page's title
 * first: a page reached by a form's redirect gets its <title> in a later part
 * of the stream than the content the test waits for, and axe would report the
 * moment in between. A page that never gets one still fails, on axe's rule.
 *
 * It runs axe inside the page itself (the library's legacy mode). Its default
 * gathers each frame's findings and then opens a blank page to put them
 * together, which cost 0.6–1 s a check against 0.3–0.4 s, with the same
 * findings on every page tried; over the suite's checks that was minutes of
 * the browser's time. What legacy mode gives up is frames from another
 * origin, which the portal's pages cannot hold (its CSP's default-src 'self'
 * covers frames), and a page that ever has one is refused here rather than
 * checked in part.
 */
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

export async function seriousViolations(page: Page) {
  await page.waitForFunction(() => document.title.trim() !== "", undefined, { timeout: 5_000 }).catch(() => undefined);
  const origin = new URL(page.url()).origin;
  const foreign = page.frames().filter((frame) => frame.url() !== "about:blank" && new URL(frame.url()).origin !== origin);
  if (foreign.length > 0) throw new Error(`${page.url()} holds a frame from another origin (${foreign[0]!.url()}), which this check cannot look inside.`);
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).setLegacyMode().analyze();
  // An id given twice: a label, a hint or an error naming it reaches only the first, so a field can be announced with
  // another form's label. axe no longer checks this under WCAG 2.2 (its criterion 4.1.1 is gone), so it is checked here.
  const duplicated = await page.evaluate(() => {
    const seen = new Map<string, number>();
    for (const element of document.querySelectorAll("[id]")) seen.set(element.id, (seen.get(element.id) ?? 0) + 1);
    return [...seen].filter(([, times]) => times > 1).map(([id]) => id);
  });
  return [
    ...results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) })),
    ...duplicated.map((id) => ({ id: "id-given-twice", impact: "serious", help: "Each id is given to one element only", targets: [`#${id}`] })),
  ];
}
