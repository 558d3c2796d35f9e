/**
 * The organisation's own words in a language other than its default: its
 * name, and the sections of the statement sent with every access export.
 * Each one left empty is said as in the default language (ORG_NAME, and
 * the statement), so a language can be filled in a little at a time.
 */
import { eq } from "drizzle-orm";
import type { Executor } from "@/db/connection";
import { orgTexts } from "@/db/schema";
import { fieldErrorsOf, multiLineText, oneLineText, type FieldErrors, type ParseResult } from "@/lib/forms/fields";
import { isLanguage, languageNameInEnglish, type Language } from "@/lib/language/languages";
import { STATEMENT_SECTIONS, type StatementSection } from "./statement";

export type OrgTexts = { orgName: string | null } & Record<StatementSection, string | null>;
export type StoredOrgTexts = OrgTexts & { updatedAt: Date | null; updatedBy: string | null };

const NONE: OrgTexts = { orgName: null, purposes: null, recipients: null, retention: null, sources: null, rights: null };

export function loadOrgTexts(tx: Executor, language: Language): StoredOrgTexts {
  const row = tx.select().from(orgTexts).where(eq(orgTexts.language, language)).get();
  if (!row) return { ...NONE, updatedAt: null, updatedBy: null };
  const { orgName, purposes, recipients, retention, sources, rights, updatedAt, updatedBy } = row;
  return { orgName, purposes, recipients, retention, sources, rights, updatedAt, updatedBy };
}

/** Saves one language's words; with every one of them empty, the language simply follows the default again. */
export function saveOrgTexts(tx: Executor, language: Language, texts: OrgTexts, by: { email: string; now: Date }): void {
  if (Object.values(texts).every((value) => value === null)) {
    tx.delete(orgTexts).where(eq(orgTexts.language, language)).run();
    return;
  }
  const values = { ...texts, updatedAt: by.now, updatedBy: by.email };
  tx.insert(orgTexts)
    .values({ language, ...values })
    .onConflictDoUpdate({ target: orgTexts.language, set: values })
    .run();
}

/** The form's fields: `text_` and the part, so they never share an id with the statement's own form on the same page. */
export const ORG_TEXT_FIELDS = { orgName: "text_orgName", ...Object.fromEntries(STATEMENT_SECTIONS.map((s) => [s, `text_${s}`])) } as Record<keyof OrgTexts, string>;

const SECTION_WHAT: Record<StatementSection, string> = {
  purposes: "The purposes",
  recipients: "The recipients",
  retention: "The retention",
  sources: "The sources",
  rights: "The rights",
};

const orgNameField = oneLineText("The name", 120);

/**
 * The settings form for one language: which language (one of those offered,
 * other than the default, whose words are ORG_NAME and the statement), and
 * each part, any of them empty.
 */
export function parseOrgTextsForm(
  input: Record<string, string>,
  offer: { offered: readonly Language[]; defaultLanguage: Language },
): ParseResult<{ language: Language; texts: OrgTexts }> {
  const errors: FieldErrors = {};
  const language = input.language;
  if (!isLanguage(language) || !offer.offered.includes(language) || language === offer.defaultLanguage) {
    errors.language = `Choose one of the languages offered other than ${languageNameInEnglish(offer.defaultLanguage)}, whose words are ORG_NAME and the statement above.`;
  }
  const texts: OrgTexts = { ...NONE };
  const name = orgNameField.safeParse(input[ORG_TEXT_FIELDS.orgName]);
  if (name.success) texts.orgName = name.data ?? null;
  else errors[ORG_TEXT_FIELDS.orgName] = fieldErrorsOf(name.error).form ?? "Check the name.";
  for (const section of STATEMENT_SECTIONS) {
    const parsed = multiLineText(SECTION_WHAT[section], 5000).safeParse(input[ORG_TEXT_FIELDS[section]]);
    if (parsed.success) texts[section] = parsed.data ?? null;
    else errors[ORG_TEXT_FIELDS[section]] = fieldErrorsOf(parsed.error).form ?? "Check this text.";
  }
  if (Object.keys(errors).length > 0 || !isLanguage(language)) return { ok: false, fieldErrors: errors };
  return { ok: true, value: { language, texts } };
}
