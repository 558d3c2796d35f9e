/**
 * The one CSV layout the importer reads: a `kind` column says what each row
 * is, and each kind uses its own set of the columns below. A file may hold
 * one kind or several; columns a kind does not use are left empty (or left
 * out of the header altogether).
 */
export const RECORD_KINDS = [
  "supporter",
  "donation",
  "membership",
  "subscription",
  "petition_signature",
  "correspondence",
  "web_visit",
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export type ColumnDoc = { column: string; required: boolean; meaning: string };

const EXTERNAL_ID: ColumnDoc = { column: "external_id", required: true, meaning: "the record's id in the system it comes from; unique per kind" };
const SUPPORTER_REF: ColumnDoc = {
  column: "supporter_external_id",
  required: true,
  meaning: "the external_id of the supporter it belongs to (in this file or imported before)",
};

/** Every kind's columns, in the order the documentation shows them. */
export const LAYOUT: Record<RecordKind, readonly ColumnDoc[]> = {
  supporter: [
    EXTERNAL_ID,
    { column: "email", required: true, meaning: "email address; stored trimmed and lower-case" },
    { column: "name", required: false, meaning: "full name" },
    { column: "postal_address", required: false, meaning: "postal address; may span lines inside quotes" },
    { column: "phone", required: false, meaning: "phone number" },
  ],
  donation: [
    EXTERNAL_ID,
    SUPPORTER_REF,
    { column: "amount", required: true, meaning: "decimal amount in the currency's main unit, e.g. 25.00 (no symbol, no thousands separator)" },
    { column: "currency", required: true, meaning: "ISO 4217 code, e.g. GBP, EUR, USD, JPY" },
    { column: "date", required: true, meaning: "date given, YYYY-MM-DD" },
    { column: "method", required: true, meaning: "card, direct_debit, bank_transfer, cheque, cash, paypal or other" },
    { column: "card_last4", required: false, meaning: "for card gifts, exactly the last four digits; a full card number is refused" },
  ],
  membership: [
    EXTERNAL_ID,
    SUPPORTER_REF,
    { column: "plan", required: true, meaning: "membership plan, e.g. Standard" },
    { column: "date", required: true, meaning: "start date, YYYY-MM-DD" },
    { column: "ends_on", required: false, meaning: "end date, YYYY-MM-DD" },
    { column: "status", required: true, meaning: "e.g. active, lapsed, canceled" },
  ],
  subscription: [
    EXTERNAL_ID,
    SUPPORTER_REF,
    { column: "list", required: true, meaning: "mailing list, e.g. alerts, newsletter" },
    { column: "at", required: true, meaning: "when they subscribed: ISO 8601 time with Z or an offset (a plain date means midnight UTC)" },
    { column: "ended_at", required: false, meaning: "when they left the list, same format" },
  ],
  petition_signature: [
    EXTERNAL_ID,
    SUPPORTER_REF,
    { column: "petition", required: true, meaning: "petition title" },
    { column: "at", required: true, meaning: "when they signed, ISO 8601" },
    { column: "comment", required: false, meaning: "their comment" },
  ],
  correspondence: [
    EXTERNAL_ID,
    SUPPORTER_REF,
    { column: "at", required: true, meaning: "when it was sent or received, ISO 8601" },
    { column: "direction", required: true, meaning: "in (from the supporter) or out (to them)" },
    { column: "channel", required: true, meaning: "e.g. email, letter, phone" },
    { column: "subject", required: false, meaning: "subject line" },
    { column: "body", required: true, meaning: "the text; may span lines inside quotes" },
  ],
  web_visit: [
    EXTERNAL_ID,
    SUPPORTER_REF,
    { column: "at", required: true, meaning: "time of the visit, ISO 8601" },
    { column: "ip_address", required: true, meaning: "IPv4 or IPv6 address" },
    { column: "user_agent", required: false, meaning: "browser" },
    { column: "page", required: true, meaning: "page visited, e.g. /donate" },
    { column: "referrer", required: false, meaning: "where they came from" },
  ],
};

/** Every column the importer knows, `kind` first. */
export const ALL_COLUMNS: readonly string[] = [
  "kind",
  ...new Set(Object.values(LAYOUT).flatMap((columns) => columns.map((c) => c.column))),
];

/** A small file showing the layout, for the documentation and tests. */
export const EXAMPLE_CSV = [
  "kind,external_id,supporter_external_id,email,name,postal_address,phone,amount,currency,date,method,card_last4,list,at",
  'supporter,S-1,,ada@example.org,Ada Lovelace,"12 Example Street\nLondon",+44 20 7946 0000,,,,,,,',
  "donation,D-1,S-1,,,,,25.00,GBP,2025-03-01,card,4242,,",
  "subscription,L-1,S-1,,,,,,,,,,newsletter,2025-03-01T09:30:00Z",
].join("\n");
