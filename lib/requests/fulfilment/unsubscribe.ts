/**
 * Unsubscribe is carried out the moment it is received: the lists it names
 * (or every list) end at once, on every supporter record with the address,
 * the choice goes on the record with the request it was filed as, and the
 * request closes itself.
 */
import { eq } from "drizzle-orm";
import type { Tx } from "@/db/connection";
import { requests } from "@/db/schema";
import { enqueueMail } from "@/lib/mail/outbox";
import { unsubscribedMail } from "@/lib/mail/emails/unsubscribed";
import type { PortalContext } from "@/lib/settings/portal-context";
import { leaveLists } from "@/lib/consent/choices";
import { findList } from "@/lib/consent/lists";
import type { ChoiceSource } from "@/lib/consent/store";
import { applyChange } from "@/lib/requests/lifecycle/request-change";
import { requestUrl } from "@/lib/requests/lifecycle/links";
import type { RequestDetails } from "@/lib/vocabulary/request-details";
import { countOf } from "@/lib/language/plural";

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

/** Carries out a just-filed unsubscribe request and closes it, as the system, in the caller's transaction. */
export function carryOutUnsubscribe(tx: Tx, input: { requestId: number; now: Date; ctx: PortalContext; source: UnsubscribeSource }): void {
  const request = tx.select().from(requests).where(eq(requests.id, input.requestId)).get();
  if (!request || request.type !== "unsubscribe") throw new Error("carryOutUnsubscribe needs an unsubscribe request.");
  const details = request.details as Extract<RequestDetails, { type: "unsubscribe" }>;
  const only = details.lists && details.lists.length > 0 ? details.lists : null;
  const { left, ended } = leaveLists(tx, {
    email: request.subjectEmail,
    lists: only ?? "all",
    at: input.now,
    now: input.now,
    source: { ...input.source, requestId: request.id },
  });
  const titles = (only ?? []).map((name) => findList(tx, name)?.title ?? name);
  const how = ROUTE_WORDS[input.source.route];
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
      ...unsubscribedMail.draft({
        orgName: input.ctx.orgName,
        reference: request.reference,
        lists: only ? left.length : ended,
        only: only ? titles : undefined,
        requestUrl: requestUrl(input.ctx, request),
      }),
      to: request.subjectEmail,
      kind: "completed",
      requestId: request.id,
    },
    { now: input.now, appUrl: input.ctx.appUrl },
  );
}
