/**
 * Unsubscribe is carried out the moment it is received: the lists it names
 * (or every list) end at once in Rightsdesk's own records, on every
 * supporter record with the address, the choice goes on the record with the
 * request it was filed as, and the request closes itself; or, when
 * connected systems (a list server, a database whose map says how a
 * subscription ends) must answer too, it waits for them as received, with
 * no staff step, and closes (received → completed, as the system) when the
 * last answers.
 */
import { and, eq, inArray, isNotNull } from "drizzle-orm";
import type { Tx } from "@/db/connection";
import { requests, requestTasks, subscriptions, supporters, type RequestRow } from "@/db/schema";
import { normalizeEmail } from "@/lib/vocabulary/email-address";
import { enqueueMail } from "@/lib/mail/outbox";
import { withReceipt } from "@/lib/record/receipts";
import { unsubscribedMail } from "@/lib/mail/emails/unsubscribed";
import type { PortalContext } from "@/lib/settings/portal-context";
import { leaveLists } from "@/lib/consent/choices";
import { findList } from "@/lib/consent/lists";
import type { ChoiceSource } from "@/lib/consent/store";
import { applyChange } from "@/lib/requests/lifecycle/request-change";
import { requestUrl } from "@/lib/requests/lifecycle/links";
import type { RequestDetails } from "@/lib/vocabulary/request-details";
import { countOf } from "@/lib/language/plural";
import { orgNameFor } from "@/lib/settings/org-name";
import { createUnsubscribeTasks } from "./tasks";
import { unsubscribesThere } from "@/lib/systems/connectors/system-work";

/** How the objection reached us, as the record of choices keeps it (the request itself is added here). */
export type UnsubscribeSource = Omit<ChoiceSource, "requestId">;

const ROUTE_WORDS: Record<ChoiceSource["route"], string> = {
  page: "on the preference page",
  one_click: "with the one-click unsubscribe in an email",
  gpc: "by the browser's privacy signal",
  staff: "as staff recorded it",
  request: "with the request form",
  import: "by an import",
};

/** The lists an unsubscribe names, or null for every list. */
export function listsNamed(request: Pick<RequestRow, "details">): string[] | null {
  const details = request.details as Extract<RequestDetails, { type: "unsubscribe" }>;
  return details.lists && details.lists.length > 0 ? details.lists : null;
}

/** The titles people read for the lists an unsubscribe names. */
export function titlesOf(tx: Tx, lists: readonly string[]): string[] {
  return lists.map((name) => findList(tx, name)?.title ?? name);
}

/** Carries out a just-filed unsubscribe request and closes it (or leaves it waiting for connected systems), as the system, in the caller's transaction. */
export function carryOutUnsubscribe(tx: Tx, input: { requestId: number; now: Date; ctx: PortalContext; source: UnsubscribeSource }): void {
  const request = tx.select().from(requests).where(eq(requests.id, input.requestId)).get();
  if (!request || request.type !== "unsubscribe") throw new Error("carryOutUnsubscribe needs an unsubscribe request.");
  const only = listsNamed(request);
  const { left, ended } = leaveLists(tx, {
    email: request.subjectEmail,
    lists: only ?? "all",
    at: input.now,
    now: input.now,
    source: { ...input.source, requestId: request.id },
  });
  const titles = titlesOf(tx, only ?? []);
  const how = ROUTE_WORDS[input.source.route];
  // A list server ends the lists named; a database map has no notion of lists, so for some lists only it would end them all:
  // such an opt-out reaches a database through the choices CSV instead (see the README's "Consent on the record").
  const tasks = createUnsubscribeTasks(
    tx,
    request,
    input.now,
    (system) => (only === null || system.kind === "mailman") && unsubscribesThere({ kind: system.kind, mapText: system.datasetMap }),
  );
  if (tasks > 0) {
    const waiting = applyChange(tx, request, {
      actor: { type: "system" },
      action: "tasks_created",
      now: input.now,
      note: `Taken off ${only ? titles.join(", ") : "Rightsdesk's own lists"} at once ${how}: ${countOf(ended, "subscription")} ended. ${countOf(tasks, "connected system")} to answer.`,
    });
    if (!waiting.ok) throw new Error(`Could not start unsubscribe ${request.reference}: ${waiting.message}`);
    return;
  }
  const result = applyChange(tx, request, {
    actor: { type: "system" },
    action: "completed",
    to: "completed",
    now: input.now,
    note: only
      ? `Taken off ${titles.join(", ")} ${how}: ${countOf(ended, "subscription")} ended. Other lists unchanged.`
      : `Taken off every mailing list at once ${how}: ${countOf(ended, "subscription")} ended.`,
  });
  // The table allows this move to the system; failing here is a programming error, so the whole filing rolls back.
  if (!result.ok) throw new Error(`Could not complete unsubscribe ${request.reference}: ${result.message}`);
  enqueueMail(
    tx,
    {
      ...withReceipt(
        tx,
        unsubscribedMail.draft({
          language: request.language,
          orgName: orgNameFor(tx, request.language, input.ctx),
          reference: request.reference,
          lists: only ? left.length : ended,
          only: only ? titles : undefined,
          requestUrl: requestUrl(input.ctx, request),
        }),
        { requestId: request.id, now: input.now, ctx: input.ctx },
      ),
      to: request.subjectEmail,
      kind: "completed",
      requestId: request.id,
    },
    { now: input.now, appUrl: input.ctx.appUrl },
  );
}

/**
 * For the email once connected systems have answered: every list of
 * Rightsdesk's own records the address is now off (of those the request
 * names, when it names some), and every list the list servers took it off.
 */
export function listsEndedFor(tx: Tx, request: Pick<RequestRow, "id" | "subjectEmail" | "details">): number {
  const only = listsNamed(request);
  const ids = tx.select({ id: supporters.id }).from(supporters).where(eq(supporters.email, normalizeEmail(request.subjectEmail))).all().map((r) => r.id);
  const here =
    ids.length === 0
      ? 0
      : tx
          .select({ id: subscriptions.id })
          .from(subscriptions)
          .where(and(inArray(subscriptions.supporterId, ids), isNotNull(subscriptions.unsubscribedAt), only ? inArray(subscriptions.list, only) : undefined))
          .all().length;
  const there = tx
    .select({ result: requestTasks.result })
    .from(requestTasks)
    .where(eq(requestTasks.requestId, request.id))
    .all()
    .reduce((n, t) => n + (typeof (t.result as { listsEnded?: unknown } | null)?.listsEnded === "number" ? (t.result as { listsEnded: number }).listsEnded : 0), 0);
  return here + there;
}
