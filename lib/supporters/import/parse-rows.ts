/**
 * Checking an import file's rows (read by ./csv-source.ts): each row turned
 * into a typed record, or the reasons it was refused.
 */
import { z } from "zod";
import { DONATION_METHODS } from "@/db/schema";
import { normalizeEmail } from "@/lib/vocabulary/email-address";
import { CONTROL_CHARACTERS } from "@/lib/forms/fields";
import { isCalendarDate } from "@/lib/calendar/dates";
import { currencyExponent } from "@/lib/vocabulary/currency";
import { ALL_COLUMNS, LAYOUT, RECORD_KINDS, type RecordKind } from "./layout";
import type { RowProblem } from "./csv-source";

export type { RowProblem };

export type SupporterRecord = { kind: "supporter"; externalId: string; email: string; name: string | null; postalAddress: string | null; phone: string | null };
type Owned = { externalId: string; supporterExternalId: string };
export type DonationRecord = Owned & {
  kind: "donation";
  amountMinor: number;
  currency: string;
  donatedOn: string;
  method: (typeof DONATION_METHODS)[number];
  cardLast4: string | null;
};
export type MembershipRecord = Owned & { kind: "membership"; plan: string; startedOn: string; endsOn: string | null; status: string };
export type SubscriptionRecord = Owned & { kind: "subscription"; list: string; subscribedAt: Date; unsubscribedAt: Date | null };
export type PetitionSignatureRecord = Owned & { kind: "petition_signature"; petition: string; signedAt: Date; comment: string | null };
export type CorrespondenceRecord = Owned & {
  kind: "correspondence";
  at: Date;
  direction: "in" | "out";
  channel: string;
  subject: string | null;
  body: string;
};
export type WebVisitRecord = Owned & { kind: "web_visit"; at: Date; ipAddress: string; userAgent: string | null; page: string; referrer: string | null };

export type ImportRecord =
  | SupporterRecord
  | DonationRecord
  | MembershipRecord
  | SubscriptionRecord
  | PetitionSignatureRecord
  | CorrespondenceRecord
  | WebVisitRecord;

const LINE_BREAK = /[\r\n]/;

function text(column: string, max: number, options: { multiline?: boolean } = {}) {
  return z.string().transform((value, ctx) => {
    const v = value.replace(/\r\n?/g, "\n").trim();
    if (v.length > max) ctx.addIssue({ code: "custom", message: `${column} must be ${max} characters or fewer` });
    else if (CONTROL_CHARACTERS.test(v) || (!options.multiline && (LINE_BREAK.test(v) || v.includes("\t")))) {
      ctx.addIssue({ code: "custom", message: `${column} contains control characters or line breaks` });
    }
    return v;
  });
}

function required(column: string, max: number, options: { multiline?: boolean } = {}) {
  return text(column, max, options).refine((v) => v !== "", { message: `${column} is required` });
}

function optional(column: string, max: number, options: { multiline?: boolean } = {}) {
  return text(column, max, options).transform((v) => (v === "" ? null : v));
}

// An optional date or time is one transform that reads an empty cell as null, not a union of "" and the field: a
// union refuses a bad value with only "Invalid input", where the field's own message names the column and the form.

/** The trimmed text when it is a date written YYYY-MM-DD; otherwise the issue, naming the column. */
function calendarDate(value: string, ctx: z.RefinementCtx, column: string): string {
  const v = value.trim();
  if (isCalendarDate(v)) return v;
  ctx.addIssue({ code: "custom", message: `${column} must be a date written YYYY-MM-DD, like 2025-03-01` });
  return z.NEVER;
}

function isoDate(column: string) {
  return z.string().transform((value, ctx) => calendarDate(value, ctx, column));
}

function optionalDate(column: string) {
  return z.string().transform((value, ctx) => (value === "" ? null : calendarDate(value, ctx, column)));
}

const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** The instant the text names (an ISO 8601 time with Z or an offset, or a date: its midnight UTC); otherwise the issue, naming the column. */
function instant(value: string, ctx: z.RefinementCtx, column: string): Date {
  const v = value.trim();
  // Each judged once, and the time read once: every row of most kinds has one or two.
  let ms = Number.NaN;
  if (isCalendarDate(v)) ms = Date.parse(`${v}T00:00:00Z`);
  else {
    const m = ISO_INSTANT.exec(v);
    if (m !== null && isCalendarDate(m[1] ?? "")) ms = Date.parse(v);
  }
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: "custom", message: `${column} must be an ISO 8601 time like 2025-03-01T09:30:00Z (with Z or an offset), or a date YYYY-MM-DD` });
    return z.NEVER;
  }
  return new Date(ms);
}

function isoInstant(column: string) {
  return z.string().transform((value, ctx) => instant(value, ctx, column));
}

function optionalInstant(column: string) {
  return z.string().transform((value, ctx) => (value === "" ? null : instant(value, ctx, column)));
}

/** "25.5" in GBP → 2550. Null when the text is not a plain positive decimal with at most `exponent` places. */
export function toMinorUnits(amount: string, exponent: number): number | null {
  const m = /^(\d{1,12})(?:\.(\d+))?$/.exec(amount);
  if (!m) return null;
  const fraction = m[2] ?? "";
  if (fraction.length > exponent) return null;
  const minor = Number(m[1]) * 10 ** exponent + Number(fraction.padEnd(exponent, "0") || "0");
  return Number.isSafeInteger(minor) && minor > 0 ? minor : null;
}

/** The fewest digits a card number has. */
const CARD_DIGITS_MIN = 13;

/** True when the text holds 13–19 digits (spaces or dashes allowed between) that pass the Luhn check. */
export function looksLikeCardNumber(value: string): boolean {
  // Thirteen digits at the least: a shorter value (most cells of a file) holds no card number, and needs no search.
  if (value.length < CARD_DIGITS_MIN) return false;
  const runs = value.match(/\d(?:[ -]?\d){12,18}/g) ?? [];
  return runs.some((run) => luhn(run.replace(/[ -]/g, "")));
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

// Made once: building a schema costs far more than using it, and an import checks every row.
const EMAIL_FORMAT = z.email();
const IPV4 = z.ipv4();
const IPV6 = z.ipv6();

const email = z.string().transform((value, ctx) => {
  const v = normalizeEmail(value);
  if (v === "") ctx.addIssue({ code: "custom", message: "email is required" });
  else if (v.length > 254 || CONTROL_CHARACTERS.test(v) || LINE_BREAK.test(v) || !EMAIL_FORMAT.safeParse(v).success) {
    ctx.addIssue({ code: "custom", message: "email must be a valid address, like name@example.org" });
  }
  return v;
});

const ip = z.string().transform((value, ctx) => {
  const v = value.trim();
  if (!IPV4.safeParse(v).success && !IPV6.safeParse(v).success) {
    ctx.addIssue({ code: "custom", message: "ip_address must be an IPv4 or IPv6 address" });
  }
  return v;
});

const owned = { externalId: required("external_id", 200), supporterExternalId: required("supporter_external_id", 200) };

/** Each kind's fields and their rules: every field rule of the import lives here (and in the helpers above). */
export const ROW_SCHEMAS = {
  supporter: z.object({
    externalId: required("external_id", 200),
    email,
    name: optional("name", 200),
    postalAddress: optional("postal_address", 500, { multiline: true }),
    phone: optional("phone", 50),
  }),
  // The amount is checked against the currency after the fields, by donationAmount, so each problem is named.
  donation: z.object({
    ...owned,
    amount: required("amount", 20),
    currency: required("currency", 3).transform((v) => v.toUpperCase()),
    donatedOn: isoDate("date"),
    method: z.string().transform((v) => v.trim().toLowerCase()).pipe(z.enum(DONATION_METHODS, { message: `method must be one of ${DONATION_METHODS.join(", ")}` })),
    cardLast4: optional("card_last4", 40).refine((v) => v === null || /^\d{4}$/.test(v), { message: "card_last4 must be exactly four digits" }),
  }),
  membership: z.object({
    ...owned,
    plan: required("plan", 100),
    startedOn: isoDate("date"),
    endsOn: optionalDate("ends_on"),
    status: required("status", 50).transform((v) => v.toLowerCase()),
  }),
  subscription: z.object({
    ...owned,
    list: required("list", 100).transform((v) => v.toLowerCase()),
    subscribedAt: isoInstant("at"),
    unsubscribedAt: optionalInstant("ended_at"),
  }),
  petition_signature: z.object({
    ...owned,
    petition: required("petition", 300),
    signedAt: isoInstant("at"),
    comment: optional("comment", 5000, { multiline: true }),
  }),
  correspondence: z.object({
    ...owned,
    at: isoInstant("at"),
    direction: z.string().transform((v) => v.trim().toLowerCase()).pipe(z.enum(["in", "out"], { message: "direction must be in or out" })),
    channel: required("channel", 50).transform((v) => v.toLowerCase()),
    subject: optional("subject", 300),
    body: required("body", 50_000, { multiline: true }),
  }),
  web_visit: z.object({
    ...owned,
    at: isoInstant("at"),
    ipAddress: ip,
    userAgent: optional("user_agent", 1000),
    page: required("page", 2000),
    referrer: optional("referrer", 2000),
  }),
} as const;

type RowSchemas = typeof ROW_SCHEMAS;

/**
 * Each kind's schema as zod compiles it (z.compile), made the first time a
 * row of the kind is checked: the same rules, results and messages, but one
 * generated function runs them, where zod would otherwise walk the schema
 * field by field, making a result object for each step of every field of
 * every row (on 200,000 rows, about a gigabyte of short-lived objects, and
 * half the checking step's processor time spent collecting them). A schema
 * zod cannot compile comes back as it is, and is still right, only slower;
 * the tests hold each kind to being compiled.
 */
const compiled: { [K in RecordKind]?: RowSchemas[K] } = {};

export function rowSchema<K extends RecordKind>(kind: K): RowSchemas[K] {
  return (compiled[kind] ??= z.compile(ROW_SCHEMAS[kind]));
}

/** Maps the file's snake_case columns onto the record's fields. */
const FIELD_OF_COLUMN: Record<string, string> = {
  external_id: "externalId",
  supporter_external_id: "supporterExternalId",
  postal_address: "postalAddress",
  card_last4: "cardLast4",
  ends_on: "endsOn",
  ended_at: "unsubscribedAt",
  ip_address: "ipAddress",
  user_agent: "userAgent",
};

const FIELD_BY_KIND: Partial<Record<RecordKind, Record<string, string>>> = {
  donation: { date: "donatedOn" },
  membership: { date: "startedOn" },
  subscription: { at: "subscribedAt" },
  petition_signature: { at: "signedAt" },
};

// Ids are the source system's; phone numbers are legitimately long digit runs.
const NOT_CARD_CHECKED = new Set(["external_id", "supporter_external_id", "phone", "kind"]);

export type RowResult = { ok: true; line: number; record: ImportRecord } | { ok: false; problems: RowProblem[] };

/**
 * Where each column is in a file's rows, worked out once from its header:
 * a row is then read by index, with no object made for its cells.
 */
export type RowColumns = {
  /** Each column the importer knows: its index in the row, or -1 when the file has no such column. */
  at: Readonly<Record<string, number>>;
  /** Each kind's record fields, each with the index of the column it is read from (-1: not in the file). */
  fields: Readonly<Record<RecordKind, ReadonlyArray<readonly [field: string, at: number]>>>;
  /** The named columns looked at for card numbers, with their index, in the file's order. */
  cardChecked: ReadonlyArray<readonly [column: string, at: number]>;
};

/** The columns of a file whose header names these (trimmed, in lower case; "" for a column with no name). */
export function rowColumns(header: readonly string[]): RowColumns {
  const at: Record<string, number> = Object.fromEntries(ALL_COLUMNS.map((column) => [column, header.indexOf(column)]));
  return {
    at,
    fields: Object.fromEntries(RECORD_KINDS.map((kind) => [kind, FIELDS_OF_KIND[kind].map(([column, field]) => [field, at[column]!] as const)])) as unknown as RowColumns["fields"],
    cardChecked: header.flatMap((column, i) => (column !== "" && !NOT_CARD_CHECKED.has(column) ? [[column, i] as const] : [])),
  };
}

/** A row's cell in a column (by its index in the row; -1 for a column the file does not have, read as empty). */
export function cell(record: readonly string[], at: number): string {
  return at === -1 ? "" : record[at]!;
}

/**
 * A donation's amount in minor units, checked against its currency, and
 * card digits only for card gifts: whatever of this the cells allow to be
 * judged is judged, even when another cell of the row is wrong.
 */
function donationProblems(record: readonly string[], columns: RowColumns): { amountMinor: number | null; problems: string[] } {
  const problems: string[] = [];
  const currency = cell(record, columns.at.currency!).trim().toUpperCase();
  const amount = cell(record, columns.at.amount!).trim();
  const method = cell(record, columns.at.method!).trim().toLowerCase();
  let amountMinor: number | null = null;
  const exponent = currency === "" ? null : currencyExponent(currency);
  if (currency !== "" && currency.length <= 3 && exponent === null) problems.push(`currency "${currency}" is not an ISO 4217 currency code`);
  if (exponent !== null && amount !== "") {
    amountMinor = toMinorUnits(amount, exponent);
    if (amountMinor === null) {
      // A decimal comma (25,50), as spreadsheets write amounts in much of Europe, is named as such.
      const decimalComma = exponent > 0 && /^\d{1,12},\d+$/.test(amount) ? ", written with a point and not a comma" : "";
      problems.push(
        `amount must be a positive number like ${exponent === 0 ? "2500" : `25.${"0".repeat(exponent)}`}${decimalComma}, with at most ${exponent} decimal place${exponent === 1 ? "" : "s"} for ${currency}`,
      );
    }
  }
  if (method !== "" && method !== "card" && cell(record, columns.at.card_last4!).trim() !== "") problems.push("card_last4 is only for donations by card");
  return { amountMinor, problems };
}

/** A row refused for these reasons. (Not a closure made for each row: the runtime names each one made, which a million rows feel.) */
function refused(line: number, reasons: string[]): RowResult {
  return { ok: false, problems: reasons.map((reason) => ({ line, reason })) };
}

/**
 * Checks one row, given as its fields in the order of the header `columns`
 * was worked out from (how an import reads a file's rows: see csvRecords),
 * and names every problem it has, not only the first.
 */
export function checkRecord(line: number, record: readonly string[], columns: RowColumns): RowResult {
  const kind = cell(record, columns.at.kind!).trim().toLowerCase();
  if (!(RECORD_KINDS as readonly string[]).includes(kind)) {
    return refused(line, [kind === "" ? "kind is empty" : `kind "${kind.slice(0, 40)}" is not one of ${RECORD_KINDS.join(", ")}`]);
  }
  const k = kind as RecordKind;
  const reasons: string[] = [];
  // Made only when a card number is found: an import checks every cell of a million rows.
  let cardFields: Set<string> | null = null;
  // No message below repeats what a cell holds, so a card number found here is never echoed or kept.
  const cardChecked = columns.cardChecked;
  for (let i = 0; i < cardChecked.length; i++) {
    const [column, at] = cardChecked[i]!;
    const value = record[at]!;
    if (value.length >= CARD_DIGITS_MIN && looksLikeCardNumber(value)) {
      reasons.push(`${column} looks like a full card number; only the last four digits may be imported (card_last4)`);
      (cardFields ??= new Set()).add(fieldOf(k, column));
    }
  }
  const input: Record<string, string> = {};
  for (const [field, at] of columns.fields[k]) input[field] = cell(record, at);
  const parsed = rowSchema(k).safeParse(input);
  // A cell already refused as a card number is not judged again.
  if (!parsed.success) reasons.push(...parsed.error.issues.filter((issue) => !cardFields?.has(String(issue.path[0]))).map((issue) => issue.message));
  const donation = k === "donation" ? donationProblems(record, columns) : null;
  if (donation) reasons.push(...donation.problems);
  if (reasons.length > 0 || !parsed.success) return refused(line, [...new Set(reasons)]);
  const checked = parsed.data as Record<string, unknown>;
  checked.kind = k;
  if (donation) {
    delete checked.amount;
    checked.amountMinor = donation.amountMinor;
  }
  return { ok: true, line, record: checked as ImportRecord };
}

function fieldOf(kind: RecordKind, column: string): string {
  return FIELD_BY_KIND[kind]?.[column] ?? FIELD_OF_COLUMN[column] ?? column;
}

/** Each kind's columns with the record field each fills, worked out once. */
const FIELDS_OF_KIND = Object.fromEntries(
  RECORD_KINDS.map((kind) => [kind, LAYOUT[kind].map(({ column }) => [column, fieldOf(kind, column)] as const)]),
) as unknown as Record<RecordKind, ReadonlyArray<readonly [string, string]>>;
