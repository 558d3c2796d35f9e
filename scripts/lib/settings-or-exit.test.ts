import { describe, expect, it } from "vitest";
import { resolveSettings } from "@/lib/settings/resolve";
import { serverEnvironment } from "./settings-or-exit";

describe("serverEnvironment", () => {
  const base = { NODE_ENV: "production" as const, AUTH_SECRET: "s".repeat(40), PORT: "4321" };

  it.each<[string, Record<string, string>, Record<string, string | undefined>]>([
    // Left unset, they stay unset: the server then counts them as defaults and shows staff its banner.
    ["none set", {}, { ORG_NAME: undefined, MAIL_FROM: undefined, APP_URL: undefined, NEXTAUTH_URL: "http://localhost:4321" }],
    ["the name set", { ORG_NAME: "Friends of the Earth" }, { ORG_NAME: "Friends of the Earth", MAIL_FROM: undefined, APP_URL: undefined }],
    [
      "all three set, the address given with a trailing slash",
      { ORG_NAME: "Save the Owls", MAIL_FROM: "Owls <privacy@owls.example>", APP_URL: "https://rights.owls.example/" },
      { ORG_NAME: "Save the Owls", MAIL_FROM: "Owls <privacy@owls.example>", APP_URL: "https://rights.owls.example", NEXTAUTH_URL: "https://rights.owls.example" },
    ],
  ])("%s", (_name, given, expected) => {
    const env = { ...base, ...given };
    const settings = resolveSettings(env, "/tmp");
    const passed = serverEnvironment(settings, env);
    for (const [name, value] of Object.entries(expected)) expect(passed[name], name).toBe(value);
    // The server, reading what it is passed, sees the same defaults left unchanged as the command did.
    expect(resolveSettings(passed, "/tmp").unchangedDefaults).toEqual(settings.unchangedDefaults);
  });
});
