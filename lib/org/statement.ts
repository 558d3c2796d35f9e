/**
 * The organisation's statement that goes with every access export: why it
 * holds data, who receives it, how long it keeps it, where it came from and
 * the supporter's rights. One row, edited by an admin on /staff/settings;
 * until then the defaults below are used.
 */
import { z } from "zod";
import type { Executor } from "@/db/connection";
import { orgStatement } from "@/db/schema";
import { multiLineText, type FieldErrors, fieldErrorsOf } from "@/lib/forms/fields";

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

// Drawn from what nonprofit privacy policies of this kind commonly say; each
// organisation should replace them with its own on /staff/settings.
export const DEFAULT_STATEMENT: OrgStatement = {
  purposes: [
    "To process donations and membership payments, and to keep the records the law requires for them.",
    "To send campaign alerts and newsletters to people who asked for them, until they ask us to stop.",
    "To record petition signatures and pass on the petition to its target.",
    "To answer letters, emails and calls, and to keep a record of what was said.",
    "To keep the website working and secure and to understand which pages are used (visit logs).",
  ].join("\n"),
  recipients: [
    "We do not sell, rent or trade supporter lists.",
    "Service providers who work for us under contract and only on our instructions: the payment processor that handles card payments, our database and mailing providers.",
    "Public authorities, only where the law requires it.",
  ].join("\n"),
  retention: [
    "Donation and membership payment records: for the tax period after the gift (see below), then deleted.",
    "Mailing list subscriptions: until you unsubscribe; we keep a note that you left so you stay off the list.",
    "Petition signatures and correspondence: for as long as the campaign or conversation needs them.",
    "Website visit logs: for a limited time for security and statistics.",
    "Full card numbers are never stored; card payments are handled by our payment processor.",
  ].join("\n"),
  sources: [
    "From you: when you donate, join, sign a petition, subscribe, write to us or use our website.",
    "From our payment processor: confirmation of payments, with only the last four digits of a card.",
  ].join("\n"),
  rights: [
    "You can ask to see the data we hold about you, to correct it, or to have it deleted, except what the law requires us to keep.",
    "You can stop our emails at any time, with the unsubscribe link in every email or a request here; we stop at once.",
    "You can object to how we use your data and raise a concern with us.",
    "If you are unhappy with our answer you can complain to the data protection supervisory authority.",
  ].join("\n"),
  donationRetentionYears: 6,
};

export function loadStatement(tx: Executor): StoredStatement {
  const row = tx.select().from(orgStatement).get();
  if (!row) return { ...DEFAULT_STATEMENT, updatedAt: null, updatedBy: null };
  const { purposes, recipients, retention, sources, rights, donationRetentionYears, updatedAt, updatedBy } = row;
  return { purposes, recipients, retention, sources, rights, donationRetentionYears, updatedAt, updatedBy };
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
