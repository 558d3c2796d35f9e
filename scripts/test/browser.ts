/**
 * Which browser the end-to-end tests launch, decided the same way by `npm test`'s
 * preparation (which makes sure there is one) and by playwright.config.ts (which uses it).
 */
import { SYSTEM_CHROMIUM, SYSTEM_HEADLESS_SHELL } from "../../lib/testing/servers/requirements";

/**
 * CHROMIUM_PATH when set, else Debian's headless shell of Chromium when it is
 * there, else Debian's Chromium when it is there, else undefined: Playwright's
 * own browser.
 */
export function browserExecutable(chromiumPath: string | undefined, exists: (file: string) => boolean): string | undefined {
  if (chromiumPath) return chromiumPath;
  if (exists(SYSTEM_HEADLESS_SHELL)) return SYSTEM_HEADLESS_SHELL;
  return exists(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined;
}
