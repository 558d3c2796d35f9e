import { describe, expect, it } from "vitest";
import type { Language } from "./languages";
import { chooseLanguage, languageFromAcceptLanguage } from "./negotiate";

const ALL: Language[] = ["en", "fr", "es", "de"];

describe("languageFromAcceptLanguage", () => {
  it.each([
    ["fr-FR,fr;q=0.9", ALL, "fr"],
    ["fr-CA", ALL, "fr"],
    ["de-CH,de;q=0.8,en;q=0.5", ALL, "de"],
    ["es-419,es;q=0.9", ALL, "es"],
    ["en-US,en;q=0.9", ALL, "en"],
    // The browser's order is kept by quality, not by position.
    ["en;q=0.2,es;q=0.9", ALL, "es"],
    // A language the organisation does not offer falls to the next one asked for.
    ["nl-NL,nl;q=0.9,fr;q=0.5", ALL, "fr"],
    ["fr-FR,fr;q=0.9,en;q=0.5", ["en", "de"] as Language[], "en"],
    // Nothing offered is asked for, or nothing usable is sent.
    ["nl-NL,nl;q=0.9", ALL, null],
    ["ja", ["en", "fr"] as Language[], null],
    ["*", ALL, null],
    ["", ALL, null],
    ["not a language tag!!, ;;;", ALL, null],
    ["fr;q=0", ALL, null],
  ])("%j among %j → %j", (header, offered, expected) => {
    expect(languageFromAcceptLanguage(header, offered)).toBe(expected);
  });

  it("ignores an absurdly long header instead of parsing it", () => {
    expect(languageFromAcceptLanguage(`${"x-".repeat(1000)},fr`, ALL)).toBeNull();
  });
});

describe("chooseLanguage", () => {
  const offer = { offered: ["en", "fr", "es"] as Language[], fallback: "en" as Language };
  it.each([
    ["the choice in the cookie wins over the browser", { pathname: "/", cookie: "es", acceptLanguage: "fr" }, "es"],
    ["a cookie naming a language not offered is ignored", { pathname: "/", cookie: "de", acceptLanguage: "fr" }, "fr"],
    ["a made-up cookie is ignored", { pathname: "/new", cookie: "<script>", acceptLanguage: "fr-BE" }, "fr"],
    ["without a cookie the browser decides", { pathname: "/requests", cookie: undefined, acceptLanguage: "es-MX" }, "es"],
    ["else the organisation's default", { pathname: "/", cookie: null, acceptLanguage: "pt-BR" }, "en"],
    ["the staff pages stay in English", { pathname: "/staff/requests/RD-7K3Q-9XWM", cookie: "fr", acceptLanguage: "fr" }, "en"],
    ["…but only the staff pages", { pathname: "/staffing", cookie: "fr", acceptLanguage: "fr" }, "fr"],
  ])("%s", (_why, input, expected) => {
    expect(chooseLanguage(input, offer)).toBe(expected);
  });

  it("falls back to a default other than English", () => {
    expect(chooseLanguage({ pathname: "/", cookie: null, acceptLanguage: null }, { offered: ["de", "en"], fallback: "de" })).toBe("de");
  });
});
