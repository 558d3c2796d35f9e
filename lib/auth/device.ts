/**
 * A session's device in a few words ("Chrome 131 on Linux"), read from the
 * browser's User-Agent header with bowser when the session starts. Only the
 * words are kept, never the header, and they are no proof of anything: a
 * browser can say what it likes. They help a person recognise their own
 * sessions.
 */
import Bowser from "bowser";

const LONGEST = 80;

export function describeDevice(userAgent: string | null | undefined): string {
  const header = (userAgent ?? "").trim().slice(0, 512);
  if (header === "") return "An unknown browser";
  const parsed = Bowser.parse(header);
  const browser = parsed.browser.name ? `${parsed.browser.name}${parsed.browser.version ? ` ${parsed.browser.version.split(".")[0]}` : ""}` : "An unknown browser";
  const model = parsed.platform.model ? ` (${parsed.platform.model})` : "";
  const system = parsed.os.name ? ` on ${parsed.os.name}${model}` : "";
  // Whatever the header held, only printable characters of ordinary length reach a page.
  return `${browser}${system}`.replace(/[^\p{L}\p{N} ().,+_/-]/gu, "").slice(0, LONGEST);
}
