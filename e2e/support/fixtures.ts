import { randomBytes } from "node:crypto";
import { test as base, expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { followLink } from "./journeys";
import { signInLink, waitForMail } from "./mail";

type HarnessFixtures = {
  /** A never-before-seen supporter address, so tests sharing the one server and inbox cannot collide. */
  uniqueEmail: string;
};

export const test = base.extend<HarnessFixtures>({
  // Playwright requires an object pattern as the first argument even when no fixtures are used.
  // eslint-disable-next-line no-empty-pattern
  uniqueEmail: async ({}, use) => {
    await use(`supporter-${randomBytes(6).toString("hex")}@example.org`);
  },
});

export { expect };

/**
 * Asks for a sign-in link for `email` through the form on /signin, and
 * returns the time just before the click: only mail this click (or a
 * simultaneous one) triggers can match `waitForMail({ since })`. It does not
 * wait for the answer, which may be "Check your inbox" or a refusal.
 */
export async function requestSignInLink(page: Page, email: string): Promise<number> {
  await page.goto("/signin");
  await page.getByLabel("Email address", { exact: true }).fill(email);
  const since = Date.now();
  await page.getByRole("button", { name: "Send me a sign-in link", exact: true }).click();
  return since;
}

/** A session this worker's browser got by the emailed link, kept to be used again by later tests (see signInAs). */
type KeptSession = { cookies: Awaited<ReturnType<BrowserContext["cookies"]>>; landing: string };
const keptSessions = new Map<string, KeptSession>();

/**
 * Signs `email` in. The first time in a worker, and always with `byLink`,
 * through the real magic-link flow: request the link on /signin, then follow
 * it from the inbox and press the button. Tests in the other worker may be
 * signing the same staff address in at the same moment, so a link that
 * another worker's browser used first is passed over, and each link is tried
 * at most once here.
 *
 * Later tests in the same worker signing the same address in get that
 * session's cookie and open the page the link led to, as a person whose
 * browser is still signed in does: the four page loads of the flow cost the
 * suite minutes of processor time over its many staff sign-ins, and the flow
 * itself has tests of its own (staff.spec.ts, sign-in-links.spec.ts, the
 * passkey specs). A kept session that no longer opens that page (ended,
 * removed, waiting for a passkey) is forgotten and the address signs in by
 * the link again.
 */
export async function signInAs(page: Page, email: string, options: { byLink?: boolean } = {}): Promise<void> {
  const key = `${process.env.E2E_BASE_URL ?? ""} ${email.toLowerCase()}`;
  const kept = options.byLink ? undefined : keptSessions.get(key);
  if (kept) {
    await page.context().addCookies(kept.cookies);
    await page.goto(kept.landing);
    const landed = new URL(page.url());
    if (landed.pathname + landed.search === kept.landing) return;
    keptSessions.delete(key);
    await page.context().clearCookies({ name: /session-token/ });
  }
  await signInByLink(page, email);
  const landed = new URL(page.url());
  const cookies = (await page.context().cookies()).filter((c) => c.name.includes("session-token"));
  if (cookies.length > 0) keptSessions.set(key, { cookies, landing: landed.pathname + landed.search });
}

async function signInByLink(page: Page, email: string): Promise<void> {
  const tried = new Set<string>();
  for (let attempt = 1; attempt <= 4; attempt++) {
    const since = await requestSignInLink(page, email);
    // Staff addresses also receive notices, so only the sign-in mail will do.
    const mail = await waitForMail({ to: email, since, subject: /^Your sign-in link for /, where: (m) => !tried.has(signInLink(m)) });
    const link = signInLink(mail);
    tried.add(link);
    await followLink(page, link);
    const landed = new URL(page.url());
    if (!(landed.pathname.startsWith("/api/auth/error") || landed.searchParams.has("error"))) return;
    // Only a link someone else got to first is worth another try; anything else is a real failure.
    if (landed.searchParams.get("link") !== "used" || attempt === 4) {
      throw new Error(`Signing in ${email} failed: the sign-in link led to ${page.url()}`);
    }
  }
}

/** A page in a browser context of its own (so its own cookies), signed in as `email`; `page.context()` reaches the context. */
export async function signedInPage(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInAs(page, email);
  return page;
}
