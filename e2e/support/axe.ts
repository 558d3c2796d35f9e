/**
 * The accessibility check every page is held to: axe's WCAG 2.2 AA rules,
 * and only the serious and critical findings. It waits for the page's title
 * first: a page reached by a form's redirect gets its <title> in a later part
 * of the stream than the content the test waits for, and axe would report the
 * moment in between. A page that never gets one still fails, on axe's rule.
 *
 * It runs axe-core in the page itself with `axe.run`, only in the page's own
 * frame, putting axe into the page once and reusing it for later checks of
 * the same page. The Playwright wrapper (@axe-core/playwright) sent axe's
 * 1.3 MB source into the page twice a check and set axe up twice; here it is
 * sent once a page: over the sixteen checks of one language's public pages,
 * 4.5–4.7 s of checking against 9.9–12.0 s, with the same rules, and every
 * page of the suite passing as before. Only violations come back (axe's
 * `resultTypes`), which is all this looks at; accessibility.spec.ts holds the
 * check itself to finding what it is there to find. What this gives up is frames, which the portal's pages do not have (its
 * CSP's default-src 'self' covers frames): a page that ever has one is refused
 * here rather than checked in part.
 */
import axe from "axe-core";
import type { Page } from "@playwright/test";

/** The rules checked: WCAG 2.0, 2.1 and 2.2 at levels A and AA. */
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

type Violation = { id: string; impact?: string | null; help: string; nodes: Array<{ target: unknown[] }> };

export async function seriousViolations(page: Page) {
  await page.waitForFunction(() => document.title.trim() !== "", undefined, { timeout: 5_000 }).catch(() => undefined);
  const frames = page.frames().filter((frame) => frame !== page.mainFrame());
  if (frames.length > 0) throw new Error(`${page.url()} holds a frame (${frames[0]!.url()}), which this check does not look inside.`);
  if (!(await page.evaluate("typeof window.axe === 'object'"))) await page.evaluate(axe.source);
  const run = async () =>
    (await page.evaluate(
      (tags) =>
        (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
      TAGS,
    )) as { violations: Violation[] };
  let results = await run();
  // A page that fetches its state again while it is checked (the import page, every second while any import runs)
  // gets its new <title> in a later part of the stream than its content, and axe can read the moment in between.
  // When axe finds no title but the page has one again, the page changed under the check: it is checked again,
  // twice at most. A page that never has a title fails every time.
  for (let again = 0; again < 2 && results.violations.some((v) => v.id === "document-title"); again++) {
    if ((await page.evaluate(() => document.title.trim())) === "") break;
    results = await run();
  }
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
