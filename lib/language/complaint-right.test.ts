import { describe, expect, it } from "vitest";
import type { Regime } from "@/db/schema";
import { complaintRight } from "./complaint-right";
import type { Language } from "./languages";

/**
 * The right to complain, said of a request (emails, the export) and of how the organisation handles data at all
 * (the home page, before any request): the authority the organisation names, else its regime's, in each language.
 */
const cases: Array<{ language: Language; regime: Regime; authority: string | null; home: RegExp; rights: RegExp }> = [
  { language: "en", regime: "gdpr", authority: null, home: /^If you are unhappy with how we handle your data, .*ico\.org\.uk/, rights: /^If you are unhappy with how we have handled your request, .*ico\.org\.uk/ },
  { language: "en", regime: "ccpa", authority: null, home: /^If you are unhappy with how we handle your data, .*cppa\.ca\.gov/, rights: /handled your request, .*cppa\.ca\.gov/ },
  { language: "en", regime: "gdpr", authority: "the Information Regulator (South Africa), inforegulator.org.za.", home: /how we handle your data, .*: the Information Regulator \(South Africa\), inforegulator\.org\.za\.$/, rights: /handled your request, .*inforegulator\.org\.za\.$/ },
  { language: "fr", regime: "gdpr", authority: null, home: /^Si vous n’êtes pas satisfait de la façon dont nous traitons vos données, .*cnil\.fr/, rights: /traité votre demande, .*cnil\.fr/ },
  { language: "fr", regime: "ccpa", authority: "la CPPA", home: /traitons vos données, .* : la CPPA\.$/, rights: /traité votre demande, .* : la CPPA\.$/ },
  { language: "es", regime: "gdpr", authority: null, home: /^Si no está conforme con cómo tratamos sus datos, .*aepd\.es/, rights: /tratado su solicitud, .*aepd\.es/ },
  { language: "es", regime: "ccpa", authority: null, home: /tratamos sus datos, .*cppa\.ca\.gov/, rights: /tratado su solicitud, .*cppa\.ca\.gov/ },
  { language: "de", regime: "gdpr", authority: null, home: /^Wenn Sie mit unserem Umgang mit Ihren Daten nicht zufrieden sind, .*bfdi\.bund\.de/, rights: /Bearbeitung Ihrer Anfrage .*bfdi\.bund\.de/ },
  { language: "de", regime: "gdpr", authority: "dem Hamburgischen Beauftragten für Datenschutz", home: /Ihren Daten .*beaufsichtigt: dem Hamburgischen Beauftragten für Datenschutz\.$/, rights: /Ihrer Anfrage .*: dem Hamburgischen Beauftragten für Datenschutz\.$/ },
];

describe("the right to complain", () => {
  it.each(cases)("$language, $regime, authority $authority", ({ language, regime, authority, home, rights }) => {
    expect(complaintRight(language, regime, authority, "home")).toMatch(home);
    expect(complaintRight(language, regime, authority)).toMatch(rights);
    // One full stop at the end, whatever the setting ended with.
    expect(complaintRight(language, regime, authority, "home")).not.toMatch(/\.\.$/);
  });
});
