import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkDefaults, defaultsBanner } from "./defaults";
import { parseSettings, type Settings } from "./settings";

function settingsOf(env: Record<string, string>): Settings {
  const result = parseSettings(env, path.resolve("/srv/rightsdesk"));
  if (!result.ok) throw new Error(result.message);
  return result.settings;
}

const REAL = {
  MAIL_FROM: "Harbour Trust <privacy@harbour-trust.example.org>",
  ORG_CONTACT_EMAIL: "privacy@harbour-trust.example.org",
  ORG_NAME: "Harbour Trust",
  APP_URL: "https://rights.harbour-trust.example.org",
};
const SMTP = { SMTP_URL: "smtp://mail.example.org:587" };

describe("settings left at a misleading default", () => {
  it.each<[string, Record<string, string>, Settings["unchangedDefaults"]]>([
    ["nothing set", {}, ["MAIL_FROM", "ORG_CONTACT_EMAIL", "ORG_NAME", "APP_URL"]],
    ["all four set", REAL, []],
    // The contact address falls back to MAIL_FROM's: once that is set, where to write is a choice made.
    ["MAIL_FROM set, no contact address", { ...REAL, ORG_CONTACT_EMAIL: "" }, []],
    ["only the contact address set", { ORG_CONTACT_EMAIL: "privacy@example.org" }, ["MAIL_FROM", "ORG_NAME", "APP_URL"]],
    ["all but the name", { ...REAL, ORG_NAME: " " }, ["ORG_NAME"]],
    ["all but the address", { ...REAL, APP_URL: "" }, ["APP_URL"]],
  ])("%s", (_, env, expected) => {
    expect(settingsOf(env).unchangedDefaults).toEqual(expected);
  });

  it("with mail written to files, start-up warns once, naming each setting and what people would see", () => {
    expect(checkDefaults(settingsOf({}))).toEqual({
      level: "warn",
      message:
        'Warning: MAIL_FROM, ORG_CONTACT_EMAIL, ORG_NAME and APP_URL are still the defaults, so mail comes from Rightsdesk <no-reply@localhost>, every email says "Write to us at no-reply@localhost", pages and emails say "Our organisation" and links lead to http://localhost:3000. Set them before real use (see "Settings" in the README).',
    });
    expect(checkDefaults(settingsOf({ ...REAL, ORG_NAME: "" }))).toEqual({
      level: "warn",
      message: 'Warning: ORG_NAME is still the default, so pages and emails say "Our organisation". Set it before real use (see "Settings" in the README).',
    });
  });

  it("with SMTP_URL set, start-up refuses in one sentence", () => {
    const verdict = checkDefaults(settingsOf({ ...SMTP, ...REAL, APP_URL: "" }));
    expect(verdict).toEqual({
      level: "refuse",
      message: "SMTP_URL sends real mail, but APP_URL is still the default (links lead to http://localhost:3000); set it before sending mail to anyone.",
    });
    const all = checkDefaults(settingsOf(SMTP));
    expect(all.level).toBe("refuse");
    expect(all.level !== "ok" && all.message.split(/\.\s/)).toHaveLength(1);
  });

  it("says nothing once all four are set, with or without SMTP", () => {
    expect(checkDefaults(settingsOf(REAL))).toEqual({ level: "ok" });
    expect(checkDefaults(settingsOf({ ...REAL, ...SMTP }))).toEqual({ level: "ok" });
    expect(defaultsBanner(settingsOf(REAL))).toBeNull();
  });

  it("the staff dashboard's banner names what to set", () => {
    expect(defaultsBanner(settingsOf({ ...REAL, MAIL_FROM: "", ORG_CONTACT_EMAIL: "" }))).toBe(
      'Set MAIL_FROM and ORG_CONTACT_EMAIL before real use: until then mail comes from Rightsdesk <no-reply@localhost> and every email says "Write to us at no-reply@localhost". They are environment variables of the server (see "Settings" in the README); restart it after setting them.',
    );
  });
});
