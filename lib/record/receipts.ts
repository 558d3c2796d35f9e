/**
 * Signed receipts. When a request closes, the supporter's email carries a
 * short, readable statement of what was done (reference, type, dates,
 * outcome, what was deleted and what was kept, by category and by system,
 * and the closing event's position in the log), signed with the
 * organisation's Ed25519 key. Anyone holding the public key (served at
 * /.well-known/rightsdesk-receipt-key.pem) can check it: on /verify, with
 * `npm run receipt:verify`, or with any Ed25519 tool, without trusting the
 * portal's word.
 *
 * The signature covers the receipt's lines as labels and values, with runs
 * of white space read as one space: a receipt pasted from an email whose
 * program re-wrapped or quoted its lines still verifies; one changed
 * character in any value does not.
 */
import { and, asc, eq, isNotNull, max } from "drizzle-orm";
import type { Executor, Tx } from "@/db/connection";
import { erasureOutcomes, externalSystems, requestEvents, requestReceipts, requests, requestTasks } from "@/db/schema";
import type { MailDraft } from "@/lib/mail/templates";
import type { PortalContext } from "@/lib/settings/portal-context";
import { signText, verifyText, type PublicKey, type SigningKey } from "@/lib/settings/signing-key";
import { addCalendarMonths, calendarDateIn } from "@/lib/calendar/dates";
import { movesByItself } from "@/lib/vocabulary/request-types";
import { normalise, parseReceipt, receiptPayload, RECEIPT_BEGIN, RECEIPT_END, type Label, type ReceiptLine, type ReceiptProblem } from "./receipt-text";

export { parseReceipt, RECEIPT_BEGIN, RECEIPT_END, type ReceiptLine, type ReceiptProblem } from "./receipt-text";

export type ReceiptFacts = {
  organisation: string;
  portal: string;
  reference: string;
  type: string;
  received: string;
  due: string;
  closed: string;
  outcome: string;
  deleted: string[];
  kept: string[];
  systems: string[];
  position: number;
};

function linesOf(facts: ReceiptFacts, keyId: string): ReceiptLine[] {
  return [
    ["Organisation", facts.organisation],
    ["Portal", facts.portal],
    ["Reference", facts.reference],
    ["Type", facts.type],
    ["Received", facts.received],
    ["Due", facts.due],
    ["Closed", facts.closed],
    ["Outcome", facts.outcome],
    ...(facts.deleted.length > 0 ? facts.deleted : ["nothing"]).map((v): ReceiptLine => ["Deleted", v]),
    ...facts.kept.map((v): ReceiptLine => ["Kept", v]),
    ...facts.systems.map((v): ReceiptLine => ["System", v]),
    ["Chain position", String(facts.position)],
    ["Key", keyId],
  ].map(([label, value]) => [label, normalise(value)] as ReceiptLine);
}

/** The receipt as text, signed. */
export function signReceipt(key: SigningKey, facts: ReceiptFacts): string {
  const lines = linesOf(facts, key.publicKey.id);
  const signature = signText(key, receiptPayload(lines));
  return [RECEIPT_BEGIN, ...lines.map(([label, value]) => `${label}: ${value}`), `Signature: ${signature}`, RECEIPT_END].join("\n");
}

export type ReceiptCheck =
  | { ok: true; lines: ReceiptLine[]; reference: string; keyId: string }
  | ({ ok: false; message: string; lines?: ReceiptLine[] } & ReceiptProblem);

/** Whether a pasted receipt is exactly what the organisation signed. */
export function verifyReceipt(text: string, publicKey: PublicKey): ReceiptCheck {
  const parsed = parseReceipt(text);
  if (!parsed.ok) return parsed;
  const { lines, signature } = parsed.receipt;
  const value = (label: Label) => lines.find(([l]) => l === label)![1];
  if (value("Key") !== publicKey.id) {
    return {
      ok: false,
      lines,
      problem: "otherKey",
      key: value("Key"),
      ours: publicKey.id,
      message: `This receipt was signed with the key ${value("Key")}, not with this organisation's key ${publicKey.id}: it was not issued here, or it was issued before the key was replaced.`,
    };
  }
  if (!verifyText(publicKey, receiptPayload(lines), signature)) {
    return { ok: false, lines, problem: "changed", message: "This receipt does not match its signature: something in it was changed after it was issued, or it was not issued by this organisation." };
  }
  return { ok: true, lines, reference: value("Reference"), keyId: value("Key") };
}

const OUTCOME_WORDS: Record<string, string> = { completed: "completed", denied: "refused", canceled: "cancelled" };

/** What the receipt says was deleted and kept in Rightsdesk itself and in each connected system, and what each other outside system confirmed. */
function whatWasDone(tx: Executor, requestId: number, type: string, timeZone: string) {
  const deleted: string[] = [];
  const kept: string[] = [];
  if (type === "erasure") {
    const outcome = tx.select().from(erasureOutcomes).where(eq(erasureOutcomes.requestId, requestId)).get();
    for (const d of outcome?.deleted ?? []) if (d.count > 0) deleted.push(`${d.what}: ${d.count}, in Rightsdesk`);
    for (const k of outcome?.kept ?? []) if (k.count > 0) kept.push(`${k.what}: ${k.count}, in Rightsdesk. ${k.why}`);
  }
  const tasks = tx
    .select({ name: externalSystems.name, status: requestTasks.status, completedAt: requestTasks.completedAt, result: requestTasks.result })
    .from(requestTasks)
    .innerJoin(externalSystems, eq(externalSystems.id, requestTasks.systemId))
    .where(eq(requestTasks.requestId, requestId))
    .orderBy(asc(externalSystems.name))
    .all();
  const systems = tasks.map((t) =>
    t.status === "done" && t.completedAt ? `${t.name}: confirmed done on ${calendarDateIn(t.completedAt, timeZone)}` : `${t.name}: not confirmed`,
  );
  if (type === "erasure") {
    for (const t of tasks) {
      if (t.status !== "done") continue;
      const done = connectedErasure(t.result);
      if (!done) {
        // A webhook or a task ticked by staff: the system's own word is all there is.
        deleted.push(`What ${t.name} held about the requester, as it confirmed`);
        continue;
      }
      if ("lists" in done) {
        // No count: a try cut off part-way removes some lists, and the try that finishes counts only the rest. That the
        // server no longer knows the address was checked before the task was done.
        deleted.push(`Every list membership, and the address, in ${t.name}`);
        continue;
      }
      // A connected database: what its erasure counted, table by table, kept rows and their reason included.
      const found = done.counts.filter((c) => c.deleted + c.masked + c.kept > 0);
      if (found.length === 0) deleted.push(`nothing found, in ${t.name}`);
      for (const c of found) {
        if (c.deleted > 0) deleted.push(`${c.label}: ${c.deleted}, in ${t.name}`);
        if (c.masked > 0) kept.push(`${c.label}: ${c.masked}, anonymised, in ${t.name}`);
        if (c.kept > 0) kept.push(`${c.label}: ${c.kept}, in ${t.name}${c.keptWhy ? `. ${c.keptWhy}` : ""}`);
      }
    }
  }
  return { deleted, kept, systems };
}

type ErasureCount = { label: string; deleted: number; masked: number; kept: number; keptWhy: string | null; keptFor?: { years: number; reason: string } | null };

/** What one connected database kept of an erasure, table by table: rows kept under a keep rule, and rows kept anonymised. */
export type KeptInSystem = { system: string; label: string; kept: number; masked: number; keptWhy: string | null; keptFor: { years: number; reason: string } | null };

/**
 * What each connected database's erasure task kept, from the counts the
 * task recorded when it was done: the same rows the signed receipt names
 * under "Kept", for the supporter's email to name in their language.
 */
export function keptInConnectedSystems(tx: Executor, requestId: number): KeptInSystem[] {
  const tasks = tx
    .select({ name: externalSystems.name, status: requestTasks.status, result: requestTasks.result })
    .from(requestTasks)
    .innerJoin(externalSystems, eq(externalSystems.id, requestTasks.systemId))
    .where(eq(requestTasks.requestId, requestId))
    .orderBy(asc(externalSystems.name))
    .all();
  const kept: KeptInSystem[] = [];
  for (const t of tasks) {
    const done = t.status === "done" ? connectedErasure(t.result) : null;
    if (!done || !("counts" in done)) continue;
    for (const c of done.counts) {
      if (c.kept + c.masked === 0) continue;
      const keptFor =
        c.keptFor && typeof c.keptFor === "object" && typeof c.keptFor.years === "number" && typeof c.keptFor.reason === "string" ? { years: c.keptFor.years, reason: c.keptFor.reason } : null;
      kept.push({ system: t.name, label: c.label, kept: c.kept, masked: c.masked, keptWhy: typeof c.keptWhy === "string" ? c.keptWhy : null, keptFor });
    }
  }
  return kept;
}

/** What a connected system's erasure task kept as its result: a database's counts per table, or a list server's lists. */
function connectedErasure(result: unknown): { counts: ErasureCount[] } | { lists: number } | null {
  if (typeof result !== "object" || result === null || (result as { work?: unknown }).work !== "erasure") return null;
  const r = result as { counts?: unknown; listsEnded?: unknown };
  if (typeof r.listsEnded === "number") return { lists: r.listsEnded };
  if (!Array.isArray(r.counts)) return null;
  const counts = r.counts.filter(
    (c): c is ErasureCount =>
      typeof c === "object" && c !== null && typeof c.label === "string" && typeof c.deleted === "number" && typeof c.masked === "number" && typeof c.kept === "number",
  );
  return { counts };
}

export type ReceiptContext = { key: SigningKey; orgName: string; appUrl: string; timeZone: string; retentionMonths: number };

/**
 * Issues, stores and returns the receipt of a request that has just closed,
 * in the transaction that closed it (after its closing event was appended).
 * A request gets one receipt; asking again returns the one issued.
 */
export function issueReceipt(tx: Tx, input: { requestId: number; now: Date; ctx: ReceiptContext }): string {
  const existing = tx.select({ text: requestReceipts.text }).from(requestReceipts).where(eq(requestReceipts.requestId, input.requestId)).get();
  if (existing) return existing.text;
  const request = tx.select().from(requests).where(eq(requests.id, input.requestId)).get();
  if (!request || !request.closedAt) throw new Error(`Request ${input.requestId} is not closed, so it has no receipt yet.`);
  // The closing event: the request's last change of status.
  const position = tx
    .select({ id: max(requestEvents.id) })
    .from(requestEvents)
    .where(and(eq(requestEvents.requestId, request.id), isNotNull(requestEvents.toStatus)))
    .get()?.id;
  if (!position) throw new Error(`Request ${request.reference} has no closing event.`);
  const { ctx } = input;
  const closed = calendarDateIn(request.closedAt, ctx.timeZone);
  const done = whatWasDone(tx, request.id, request.type, ctx.timeZone);
  const text = signReceipt(ctx.key, {
    organisation: ctx.orgName,
    portal: ctx.appUrl,
    reference: request.reference,
    type: request.type,
    received: request.receivedOn,
    // An objection to direct marketing is honoured at once, not within the regime's month (or 45 days).
    due: movesByItself(request.type) ? "at once, on receipt" : request.dueOn,
    closed,
    outcome: OUTCOME_WORDS[request.status] ?? request.status,
    deleted: done.deleted,
    kept: [
      ...done.kept,
      `This request's type, dates and outcome, in Rightsdesk, for the organisation's statistics; its other details until ${addCalendarMonths(closed, ctx.retentionMonths)}`,
    ],
    systems: done.systems,
    position,
  });
  tx.insert(requestReceipts).values({ requestId: request.id, issuedAt: input.now, position, keyId: ctx.key.publicKey.id, text }).run();
  return text;
}

/**
 * The email that closes a request, ending with its receipt: issued now, in
 * the closing transaction, after the closing event. Every way a request
 * closes goes through this, so no closing email goes without one.
 */
export function withReceipt(tx: Tx, draft: MailDraft, input: { requestId: number; now: Date; ctx: PortalContext }): MailDraft {
  const receipt = issueReceipt(tx, {
    requestId: input.requestId,
    now: input.now,
    ctx: { key: input.ctx.signingKey, orgName: input.ctx.orgName, appUrl: input.ctx.appUrl, timeZone: input.ctx.timeZone, retentionMonths: input.ctx.requestRetentionMonths },
  });
  // Every closing email's schema has a receipt field; the worker checks the props against it again when it sends.
  return { ...draft, template: { ...draft.template, props: { ...draft.template.props, receipt } } as MailDraft["template"] };
}
