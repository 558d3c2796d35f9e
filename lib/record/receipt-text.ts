/**
 * A receipt as text: its lines, what exactly is signed, and reading one
 * back as pasted. Plain string work with no server code, so the /verify
 * page can show what a checked receipt says. Signing and checking are in
 * ./receipts.ts.
 */
export const RECEIPT_BEGIN = "-----BEGIN RIGHTSDESK RECEIPT-----";
export const RECEIPT_END = "-----END RIGHTSDESK RECEIPT-----";
const FORMAT = "rightsdesk-receipt/1";

/** The lines of a receipt, in order; "Deleted", "Kept" and "System" may repeat. */
export const LABELS = ["Organisation", "Portal", "Reference", "Type", "Received", "Due", "Closed", "Outcome", "Deleted", "Kept", "System", "Chain position", "Key", "Signature"] as const;
export type Label = (typeof LABELS)[number];
export const REPEATING = new Set<Label>(["Deleted", "Kept", "System"]);
const ONCE = LABELS.filter((l) => !REPEATING.has(l) && l !== "Signature");

export type ReceiptLine = readonly [Label, string];

/** One space for any run of white space, none at either end: how values are compared and signed. */
export function normalise(value: string): string {
  return value.replace(/\s+/g, " ").trim();
}

/** Exactly what is signed: the format's name, then each line as "Label: value". */
export function receiptPayload(lines: readonly ReceiptLine[]): string {
  return [FORMAT, ...lines.map(([label, value]) => `${label}: ${value}`)].join("\n");
}

export type ParsedReceipt = { lines: ReceiptLine[]; signature: string };

const LABEL_AT_START = new RegExp(`^(${LABELS.map((l) => l.replace(/ /g, "\\s+")).join("|")}):\\s*(.*)$`);

function labelOf(text: string): Label {
  return LABELS.find((l) => l === normalise(text))!;
}

/**
 * Reads a receipt as pasted: the part between its first and last lines if
 * they are there, quotation marks of replies ("> ") taken off, and lines a
 * mail program wrapped joined back to the line they belong to.
 */
/** Why a pasted text is not a receipt that can be checked, for saying it in the reader's language. */
export type ReceiptProblem =
  | { problem: "notAReceipt" }
  | { problem: "noSignature" }
  | { problem: "lineCount"; label: string; count: number }
  | { problem: "otherKey"; key: string; ours: string }
  | { problem: "changed" };

export function parseReceipt(text: string): { ok: true; receipt: ParsedReceipt } | ({ ok: false; message: string } & ReceiptProblem) {
  let body = text;
  const begin = body.indexOf(RECEIPT_BEGIN);
  if (begin >= 0) body = body.slice(begin + RECEIPT_BEGIN.length);
  const end = body.indexOf(RECEIPT_END);
  if (end >= 0) body = body.slice(0, end);
  const joined: Array<[Label, string]> = [];
  for (const raw of body.split(/\r?\n/)) {
    const line = raw.replace(/^(\s*>)+/, "").trim();
    if (line === "") continue;
    const match = LABEL_AT_START.exec(line);
    if (match) {
      joined.push([labelOf(match[1]!), match[2]!]);
    } else if (joined.length > 0) {
      const last = joined[joined.length - 1]!;
      // A signature has no spaces, so a wrapped one joins without one.
      last[1] = last[0] === "Signature" ? `${last[1]}${line}` : `${last[1]} ${line}`;
    } else {
      return { ok: false, problem: "notAReceipt", message: `That is not a receipt: it should start with the line "${RECEIPT_BEGIN}". Paste the whole receipt from the email.` };
    }
  }
  const signatures = joined.filter(([label]) => label === "Signature");
  if (signatures.length !== 1) return { ok: false, problem: "noSignature", message: `The receipt has no signature line: paste the whole receipt, down to "${RECEIPT_END}".` };
  const lines = joined.filter(([label]) => label !== "Signature").map(([label, value]) => [label, normalise(value)] as ReceiptLine);
  for (const label of ONCE) {
    const count = lines.filter(([l]) => l === label).length;
    if (count !== 1) {
      return {
        ok: false,
        problem: "lineCount",
        label,
        count,
        message: `The receipt ${count === 0 ? "has no" : "has more than one"} "${label}" line: paste the whole receipt as it was sent.`,
      };
    }
  }
  return { ok: true, receipt: { lines, signature: normalise(signatures[0]![1]).replace(/ /g, "") } };
}

