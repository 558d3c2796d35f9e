/**
 * Carrying out a request once it is approved, and closing it as the system
 * when Rightsdesk has done its part and every outside system is done.
 */
import { eq } from "drizzle-orm";
import type { Tx } from "@/db/connection";
import { erasureOutcomes, requests, type RequestRow } from "@/db/schema";
import { exportExpiry, storeAccessExport } from "@/lib/requests/export/build-access-export";
import { formatInstant } from "@/lib/calendar/format";
import { enqueueMail } from "@/lib/mail/outbox";
import { keptInConnectedSystems, withReceipt } from "@/lib/record/receipts";
import { type MailDraft } from "@/lib/mail/templates";
import { completionMail } from "@/lib/mail/emails/completion";
import { correctionCompletedMail } from "@/lib/mail/emails/correction-completed";
import { erasureCompletedMail } from "@/lib/mail/emails/erasure-completed";
import { unsubscribedMail } from "@/lib/mail/emails/unsubscribed";
import type { PortalContext } from "@/lib/settings/portal-context";
import { applyChange, type ChangeResult } from "@/lib/requests/lifecycle/request-change";
import { mergedReferences } from "@/lib/requests/lifecycle/duplicates";
import { requestUrl } from "@/lib/requests/lifecycle/links";
import { createTasksFor } from "@/lib/requests/fulfilment/tasks";
import { completionBlocker, SELF_COMPLETING, TYPES_WITH_TASKS } from "../lifecycle/completion-gate";
import { applyAcceptedCorrections, reviewCorrection } from "./correction";
import { listsEndedFor, listsNamed, titlesOf } from "./unsubscribe";
import { eraseSupporterRecords, planErasure, reduceErasedSubject, type ErasurePlan } from "./erasure";
import { countOf } from "@/lib/language/plural";
import { wordsFor } from "@/lib/language/catalogue";
import { orgNameFor } from "@/lib/settings/org-name";

const SYSTEM = { type: "system" } as const;

function summarise(items: ReadonlyArray<{ what: string; count: number }>): string {
  return items.filter((i) => i.count > 0).map((i) => `${i.what}: ${i.count}`).join("; ") || "nothing";
}

/**
 * Runs in the approval's transaction: creates the outside systems' tasks,
 * carries out what Rightsdesk does itself, and closes the request if nothing
 * is left open. Throws on a programming error so the approval rolls back.
 */
export function carryOutApproved(tx: Tx, approved: RequestRow, input: { now: Date; ctx: PortalContext }): RequestRow {
  let request = approved;
  const step = (result: ChangeResult) => {
    if (!result.ok) throw new Error(`Could not carry out ${request.reference}: ${result.message}`);
    request = result.request;
  };
  if (TYPES_WITH_TASKS.has(request.type)) {
    const tasks = createTasksFor(tx, request, input.now);
    if (tasks > 0) step(applyChange(tx, request, { actor: SYSTEM, action: "tasks_created", now: input.now, note: `${countOf(tasks, "outside system")} to deal with.` }));
  }
  if (request.type === "erasure") {
    const outcome = eraseSupporterRecords(tx, { email: request.subjectEmail, now: input.now, timeZone: input.ctx.timeZone, secret: input.ctx.authSecret });
    // Kept by category for the signed receipt: by the time the request closes, the records counted here are gone.
    tx.insert(erasureOutcomes).values({ requestId: request.id, erasedAt: input.now, deleted: outcome.deleted, kept: outcome.kept }).onConflictDoNothing().run();
    step(
      applyChange(tx, request, {
        actor: SYSTEM,
        action: "erased",
        now: input.now,
        note: `Deleted: ${summarise(outcome.deleted)}. Kept: ${summarise(outcome.kept)}. The address is on the suppression list.`,
      }),
    );
  }
  if (request.type === "correction") {
    const review = applyAcceptedCorrections(tx, request, input.now);
    const accepted = review.filter((r) => r.decision === "accepted").map((r) => r.label);
    step(
      applyChange(tx, request, {
        actor: SYSTEM,
        action: "corrected",
        now: input.now,
        note: accepted.length > 0 ? `Applied to the supporter records: ${accepted.join(", ")}.` : "No change was accepted; nothing applied.",
      }),
    );
  }
  return finishIfReady(tx, request, input) ?? request;
}

/**
 * Closes a carried-out access, correction or erasure as the system once no
 * task is open, with the email saying what was done. Returns null if it is
 * not ready.
 */
export function finishIfReady(tx: Tx, request: RequestRow, input: { now: Date; ctx: PortalContext }): RequestRow | null {
  // An unsubscribe waits for its connected systems as received (it has no staff step); the rest, approved.
  const waiting = request.type === "unsubscribe" ? request.status === "received" : request.status === "approved";
  if (!SELF_COMPLETING.has(request.type) || !waiting) return null;
  if (completionBlocker(tx, request, SYSTEM) !== null) return null;
  const { mail, note } = completionWords(tx, request, input);
  const result = applyChange(tx, request, { actor: SYSTEM, action: "completed", to: "completed", now: input.now, note });
  if (!result.ok) throw new Error(`Could not complete ${request.reference}: ${result.message}`);
  enqueueMail(
    tx,
    { ...withReceipt(tx, mail, { requestId: request.id, now: input.now, ctx: input.ctx }), to: request.subjectEmail, kind: "completed", requestId: request.id },
    { now: input.now, appUrl: input.ctx.appUrl },
  );
  if (request.type === "erasure") {
    reduceErasedSubject(tx, { email: request.subjectEmail, secret: input.ctx.authSecret, now: input.now });
    return tx.select().from(requests).where(eq(requests.id, request.id)).get() ?? result.request;
  }
  return result.request;
}

/** The completion email and the note on the record, for each kind Rightsdesk carries out. */
function completionWords(tx: Tx, request: RequestRow, input: { now: Date; ctx: PortalContext }): { mail: MailDraft; note: string } {
  const { ctx } = input;
  const url = requestUrl(ctx, request);
  // Requests merged into this one close with it: the one email names them.
  const also = mergedReferences(tx, request.id);
  // The email speaks the request's language; the note on the record is staff's, in English.
  const language = request.language;
  const words = wordsFor(language);
  const orgName = orgNameFor(tx, language, ctx);
  if (request.type === "unsubscribe") {
    const lists = listsEndedFor(tx, request);
    const only = listsNamed(request);
    const titles = only ? titlesOf(tx, only) : undefined;
    return {
      mail: unsubscribedMail.draft({ language, orgName, reference: request.reference, lists, only: titles, requestUrl: url }),
      note: titles
        ? `Taken off ${titles.join(", ")}, here and in every connected list server: ${countOf(lists, "list")} in all. Other lists unchanged.`
        : `Taken off every mailing list, here and in every connected system: ${countOf(lists, "list")} in all.`,
    };
  }
  if (request.type === "access") {
    // Built as the request completes, from every table and after every outside system is done, and kept for
    // 30 days from the email saying it is ready; until then there is nothing to download.
    storeAccessExport(tx, { request, orgName, now: input.now, defaultLanguage: ctx.defaultLanguage, complaintAuthority: ctx.complaintAuthority });
    const until = formatInstant(exportExpiry(input.now), ctx.timeZone);
    // The email points to the page; the record, which the supporter reads on that page, speaks of the page itself.
    const mailNote = words("emails.completion.accessReady", { until: formatInstant(exportExpiry(input.now), ctx.timeZone, language) });
    const note = `Your data is ready. Download it from this page, as a page to read and as a JSON file, until ${until}.`;
    return {
      mail: completionMail.draft({ language, regime: request.regime, orgName, reference: request.reference, type: request.type, note: mailNote, requestUrl: url, alsoReferences: also }),
      note,
    };
  }
  if (request.type === "erasure") {
    const plan = planErasure(tx, { email: request.subjectEmail, now: input.now, timeZone: input.ctx.timeZone });
    // The records are already anonymised, so the email names the kinds kept and for how long, not counts: only
    // the kinds the erasure found something of, as the signed receipt in the same email counts them (by now the
    // plan counts nothing, the records it would count being gone).
    const outcome = tx.select({ kept: erasureOutcomes.kept }).from(erasureOutcomes).where(eq(erasureOutcomes.requestId, request.id)).get();
    const keptAny = (kind: ErasurePlan["kept"][number]) =>
      !outcome || outcome.kept.some((k) => ("key" in k ? k.key === kind.key : k.what === kind.what) && k.count > 0);
    return {
      mail: erasureCompletedMail.draft({
        language,
        regime: request.regime,
        orgName,
        reference: request.reference,
        kept: plan.kept.filter(keptAny).map((k) => ({
          what: words(`emails.erasureCompleted.keptKinds.${k.key}.what`),
          why: words(`emails.erasureCompleted.keptKinds.${k.key}.why`, { years: plan.retentionYears }),
        })),
        // What each connected database kept, as the receipt names it: under its keep rule, with the map's reason, or anonymised.
        keptElsewhere: keptInConnectedSystems(tx, request.id).flatMap((k) => {
          const what = words("emails.erasureCompleted.keptElsewhere.what", { label: k.label, system: k.system });
          const rows: Array<{ what: string; why: string }> = [];
          if (k.kept > 0) {
            rows.push({
              what,
              why: k.keptFor
                ? words("emails.erasureCompleted.keptElsewhere.keptFor", { reason: k.keptFor.reason.trim().replace(/[.。]+$/, ""), years: k.keptFor.years })
                : (k.keptWhy ?? words("emails.erasureCompleted.keptElsewhere.keptNoReason")),
            });
          }
          if (k.masked > 0) rows.push({ what, why: words("emails.erasureCompleted.keptElsewhere.anonymised") });
          return rows;
        }),
        requestUrl: url,
        alsoReferences: also,
      }),
      note: `Erasure complete. Donations are kept anonymised for ${plan.retentionYears} years for tax.`,
    };
  }
  const reviews = reviewCorrection(tx, request);
  const decisions = reviews.map((r) => ({ label: r.label, accepted: r.decision === "accepted", note: r.note }));
  const named = (accepted: boolean) => decisions.filter((d) => d.accepted === accepted).map((d) => d.label).join(", ") || "none";
  const mailDecisions = reviews.map((r) => ({ label: words(`fields.${r.field}`), accepted: r.decision === "accepted", note: r.note }));
  return {
    mail: correctionCompletedMail.draft({ language, regime: request.regime, orgName, reference: request.reference, decisions: mailDecisions, requestUrl: url, alsoReferences: also }),
    note: `Accepted: ${named(true)}. Rejected: ${named(false)}.`,
  };
}
