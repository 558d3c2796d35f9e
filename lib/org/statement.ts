/**
 * The organisation's statement that goes with every access export: why it
 * holds data, who receives it, how long it keeps it, where it came from and
 * the supporter's rights. One row, in the organisation's default language,
 * edited by an admin on /staff/settings (with its sections in other
 * languages beside it); until then the starting point below is used.
 */
import { z } from "zod";
import type { Executor } from "@/db/connection";
import { eq } from "drizzle-orm";
import { orgStatement, orgTexts } from "@/db/schema";
import { multiLineText, type FieldErrors, fieldErrorsOf } from "@/lib/forms/fields";
import { wordsFor } from "@/lib/language/catalogue";
import { BASE_LANGUAGE, type Language } from "@/lib/language/languages";

export type OrgStatement = {
  purposes: string;
  recipients: string;
  retention: string;
  sources: string;
  rights: string;
  donationRetentionYears: number;
};

export type StoredStatement = OrgStatement & { updatedAt: Date | null; updatedBy: string | null };

const STATEMENT_ID = 1;

/** The statement's sections that are words (each language has its own); the retention period is one number. */
export const STATEMENT_SECTIONS = ["purposes", "recipients", "retention", "sources", "rights"] as const;
export type StatementSection = (typeof STATEMENT_SECTIONS)[number];

/**
 * A starting point drawn from what nonprofit privacy policies of this kind
 * commonly say, in each language's catalogue; each organisation should
 * replace it with its own on /staff/settings.
 */
export function defaultStatement(language: Language = BASE_LANGUAGE): OrgStatement {
  const words = wordsFor(language);
  return {
    purposes: words("statementDefaults.purposes"),
    recipients: words("statementDefaults.recipients"),
    retention: words("statementDefaults.retention"),
    sources: words("statementDefaults.sources"),
    rights: words("statementDefaults.rights"),
    donationRetentionYears: 6,
  };
}

export const DEFAULT_STATEMENT: OrgStatement = defaultStatement(BASE_LANGUAGE);

/** The statement as saved, in the default language (`language`); the built-in starting point in that language until it is. */
export function loadStatement(tx: Executor, language: Language = BASE_LANGUAGE): StoredStatement {
  const row = tx.select().from(orgStatement).get();
  if (!row) return { ...defaultStatement(language), updatedAt: null, updatedBy: null };
  const { purposes, recipients, retention, sources, rights, donationRetentionYears, updatedAt, updatedBy } = row;
  return { purposes, recipients, retention, sources, rights, donationRetentionYears, updatedAt, updatedBy };
}

/** The statement in a language, and the sections that are in another (the default language's, given no words of their own). */
export type LocalStatement = { statement: OrgStatement; otherLanguage: Partial<Record<StatementSection, Language>> };

/**
 * The statement a supporter reading `language` gets: each section as the
 * organisation wrote it in that language on /staff/settings, else as it
 * stands in the default language (its saved statement; the built-in
 * starting point, which exists in every language, until one is saved), and
 * which sections are so, so a page can mark their language.
 */
export function statementIn(tx: Executor, language: Language, defaultLanguage: Language = BASE_LANGUAGE): LocalStatement {
  const { updatedAt, updatedBy: _by, ...base } = loadStatement(tx, language);
  if (language === defaultLanguage) return { statement: base, otherLanguage: {} };
  const own = tx.select().from(orgTexts).where(eq(orgTexts.language, language)).get();
  const otherLanguage: LocalStatement["otherLanguage"] = {};
  const section = (name: StatementSection) => {
    const words = own?.[name];
    if (words != null) return words;
    // The built-in starting point was read in `language` itself; a saved statement is in the default language.
    if (updatedAt !== null) otherLanguage[name] = defaultLanguage;
    return base[name];
  };
  return {
    statement: {
      purposes: section("purposes"),
      recipients: section("recipients"),
      retention: section("retention"),
      sources: section("sources"),
      rights: section("rights"),
      donationRetentionYears: base.donationRetentionYears,
    },
    otherLanguage,
  };
}

export function saveStatement(tx: Executor, statement: OrgStatement, by: { email: string; now: Date }): void {
  const values = { ...statement, updatedAt: by.now, updatedBy: by.email };
  tx.insert(orgStatement)
    .values({ id: STATEMENT_ID, ...values })
    .onConflictDoUpdate({ target: orgStatement.id, set: values })
    .run();
}

const section = (what: string) => multiLineText(what, 5000, { required: `Write the ${what.toLowerCase()}.` }).transform((v) => v ?? "");

const STATEMENT_FORM = z.object({
  purposes: section("Purposes"),
  recipients: section("Recipients"),
  retention: section("Retention"),
  sources: section("Sources"),
  rights: section("Rights"),
  donationRetentionYears: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const text = (v ?? "").trim();
      const years = /^\d{1,2}$/.test(text) ? Number(text) : NaN;
      if (!(years >= 0 && years <= 30)) {
        ctx.addIssue({ code: "custom", message: "Donation retention must be a whole number of years from 0 to 30." });
        return 0;
      }
      return years;
    }),
});

export function parseStatementForm(input: Record<string, string>): { ok: true; value: OrgStatement } | { ok: false; fieldErrors: FieldErrors } {
  const parsed = STATEMENT_FORM.safeParse(input);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
}
