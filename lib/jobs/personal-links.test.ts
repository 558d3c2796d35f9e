import { describe, expect, it } from "vitest";
import { verifyPreferenceToken } from "@/lib/mail/preference-link";
import { verifyUnsubscribeToken } from "@/lib/mail/unsubscribe-link";
import { personalLinksFor, type WorkerConfig } from "./scheduler";
import { MAIL_POLICY } from "@/lib/mail/deliver";

const SECRET = "k".repeat(64);
const APP = "https://rights.example.org";
const NOW = new Date("2026-12-05T10:00:00Z");
const config: WorkerConfig = {
  policy: MAIL_POLICY,
  brand: { contactEmail: "privacy@example.org", logoUrl: null, appUrl: APP },
  orgName: "Test Org",
  timeZone: "UTC",
  digestHour: null,
  unsubscribeSecret: SECRET,
};

const tokenOf = (url: string, path: string) => url.slice(`${APP}${path}`.length);

describe("each message's own links", () => {
  it.each([
    ["a message about one list: the header ends that list", "newsletter", "newsletter"],
    ["a message about no one list: the header ends every list", null, null],
  ])("%s; the footer offers the preference page and every list", (_what, list, ends) => {
    const links = personalLinksFor(config)!({ to: "Ada@Example.org", list, language: "es" }, NOW);
    // A mail program posting the link sends no language: the link carries the message's.
    expect(verifyUnsubscribeToken(tokenOf(links.oneClick, "/unsubscribe/"), SECRET, NOW)).toMatchObject({ ok: true, email: "ada@example.org", list: ends, language: "es" });
    expect(verifyUnsubscribeToken(tokenOf(links.footer.unsubscribeAllUrl, "/unsubscribe/"), SECRET, NOW)).toMatchObject({ ok: true, list: null, language: "es" });
    expect(verifyPreferenceToken(tokenOf(links.footer.preferencesUrl, "/preferences/"), SECRET, NOW)).toMatchObject({ ok: true, email: "ada@example.org" });
    expect(links.keptFooter).toEqual({ preferencesUrl: `${APP}/requests/preferences`, unsubscribeAllUrl: `${APP}/requests/preferences` });
  });

  it("without a secret, messages carry none", () => {
    expect(personalLinksFor({ ...config, unsubscribeSecret: null })).toBeUndefined();
  });
});
