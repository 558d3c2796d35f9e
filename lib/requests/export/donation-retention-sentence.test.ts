import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Language } from "@/lib/language/languages";
import { saveStatement } from "@/lib/org/statement";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { buildAccessExport } from "./build-access-export";
import { renderExportHtml } from "./render-export-html";

/**
 * The export's readable page says how long donation records outlive an erasure, from the statement's donation
 * retention (0 to 30 years). An organisation that keeps none (0, which the settings allow, and erasure then deletes
 * every donation) was told to say "Donation records are kept for 0 years for tax purposes, even after an erasure".
 */
const CASES: Array<[number, Language, string, RegExp]> = [
  [0, "en", "Donation records are not kept after an erasure: they are deleted with the rest of your data.", /kept for 0|for tax purposes/],
  [0, "fr", "Les justificatifs de dons ne sont pas conservés après un effacement", /conservés 0|raisons fiscales/],
  [0, "es", "Los registros de donaciones no se conservan después de un borrado", /conservan 0|efectos fiscales/],
  [0, "de", "Spendenbelege werden nach einer Löschung nicht aufbewahrt", /0 Jahre|steuerlichen/],
  [1, "en", "Donation records are kept for 1 year for tax purposes, even after an erasure", /not kept after an erasure/],
  [6, "en", "Donation records are kept for 6 years for tax purposes, even after an erasure", /not kept after an erasure/],
  [6, "fr", "Les justificatifs de dons sont conservés 6 ans pour des raisons fiscales", /ne sont pas conservés/],
  [7, "de", "Spendenbelege werden aus steuerlichen Gründen 7 Jahre aufbewahrt", /nicht aufbewahrt/],
];

describe("what the export says about donation records after an erasure", () => {
  let t: TempDatabase;
  beforeAll(() => {
    t = openTempDatabase();
  });
  afterAll(() => t.close());

  it.each(CASES)("with %i years, in %s", (years, language, says, never) => {
    saveStatement(
      t.db,
      { purposes: "Campaigning.", recipients: "Nobody.", retention: "As long as needed.", sources: "You.", rights: "You can ask to see your data.", donationRetentionYears: years },
      { email: "lead@example.org", now: new Date("2026-11-20T09:00:00Z") },
    );
    const doc = buildAccessExport(t.db, {
      request: { reference: "RD-TEST-0001", subjectEmail: "ada@example.org", language, regime: "gdpr" },
      orgName: "Test Org",
      now: new Date("2026-11-23T10:00:00Z"),
    });
    const html = renderExportHtml(doc, "UTC").replace(/\s+/g, " ");
    expect(html).toContain(says);
    expect(html).not.toMatch(never);
  });
});
