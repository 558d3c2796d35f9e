/**
 * Tells staff a request has arrived, as NEW_REQUEST_NOTICE says: every staff
 * member who works requests ("team"), nobody ("off"), or one staff member to
 * whom each new request is assigned as it arrives (only they are told). Runs
 * inside the transaction that files the request, so the request and its
 * notice commit together.
 *
 * The team's notice is written as one waiting row (`team_notices`), which the
 * worker's next beat addresses to each member of the team in the outbox
 * (`addressTeamNotices`): filing costs the same with twenty staff as with
 * one, and a burst of filings is addressed in one transaction.
 */
import { asc, eq, inArray, lte, sql } from "drizzle-orm";
import { CASEWORK_ROLES } from "@/lib/auth/load-viewer";
import type { Db, Executor, Tx } from "@/db/connection";
import { preparedOnce } from "@/db/prepared";
import { requests, staff, teamNotices, type RequestChannel, type RequestType } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { enqueueMails } from "@/lib/mail/outbox";
import type { TemplateCall } from "@/lib/mail/templates";
import { newRequestNoticeMail } from "@/lib/mail/emails/new-request";
import type { PortalContext } from "@/lib/settings/portal-context";
import type { NewRequestNotice } from "@/lib/settings/settings";
import type { CalendarDate } from "@/lib/calendar/dates";
import { recordEvent } from "@/lib/requests/lifecycle/events";

export const NEW_REQUEST_KIND = "new-request";

export function noticeNewRequest(
  tx: Tx,
  input: {
    request: { id: number; reference: string; type: RequestType; channel: RequestChannel; receivedOn: CalendarDate; dueOn: CalendarDate };
    /** The staff member who recorded it by hand, if one did: they already know. */
    recordedBy: string | null;
    now: Date;
    ctx: PortalContext;
  },
): void {
  const { request, now, ctx } = input;
  const setting = ctx.newRequestNotice ?? "team";
  if (setting === "off") return;

  const notice = (assignedToYou: boolean) =>
    newRequestNoticeMail.draft({
      orgName: ctx.orgName,
      reference: request.reference,
      type: request.type,
      channel: request.channel,
      receivedOn: request.receivedOn,
      dueOn: request.dueOn,
      staffUrl: `${ctx.appUrl}/staff/requests/${request.reference}`,
      assignedToYou,
    });

  // A named assignee who has left the staff list (or is now an auditor) is ignored: the team hears instead.
  const assignee = typeof setting === "object" && teamOf(tx).includes(setting.assignee) ? setting.assignee : null;
  if (assignee) {
    tx.update(requests).set({ assigneeEmail: assignee }).where(eq(requests.id, request.id)).run();
    recordEvent(tx, {
      requestId: request.id,
      at: now,
      actorType: "system",
      actorEmail: null,
      action: "assigned",
      fromStatus: null,
      toStatus: null,
      note: `Assigned to ${assignee} on arrival`,
    });
    if (assignee !== input.recordedBy) {
      enqueueMails(tx, [{ ...notice(true), to: assignee, kind: NEW_REQUEST_KIND, requestId: request.id }], { now, appUrl: ctx.appUrl });
    }
    return;
  }

  const draft = notice(false);
  preparedOnce(tx, "new-request notice: for the team", (ex) =>
    ex
      .insert(teamNotices)
      .values({
        requestId: sql.placeholder("requestId"),
        kind: NEW_REQUEST_KIND,
        subject: sql.placeholder("subject"),
        template: sql.placeholder("template"),
        props: sql.placeholder("props"),
        exceptEmail: sql.placeholder("exceptEmail"),
        createdAt: sql.placeholder("createdAt"),
      })
      .prepare(),
  ).run({
    requestId: request.id,
    subject: draft.subject,
    template: draft.template.name,
    props: draft.template.props,
    exceptEmail: input.recordedBy,
    createdAt: now,
  });
}

/**
 * Why NEW_REQUEST_NOTICE does not do what it says, in one sentence for an
 * administrator, or null when it does: an address not on the staff list (or
 * an auditor's) is ignored and the team is told instead. A warning, not a
 * refusal, like the other settings whose fallback still reaches people: no
 * request goes unannounced, and the staff list can change without a restart.
 */
export function noticeSettingProblem(db: Executor, setting: NewRequestNotice | undefined): string | null {
  if (setting === undefined || typeof setting !== "object") return null;
  const role = db.select({ role: staff.role }).from(staff).where(eq(staff.email, setting.assignee)).get()?.role;
  if (role !== undefined && (CASEWORK_ROLES as readonly string[]).includes(role)) return null;
  const who = role === undefined ? "who is not on the staff list" : `who is an ${role} and works no requests`;
  return (
    `NEW_REQUEST_NOTICE names ${setting.assignee}, ${who}, so new requests are assigned to nobody and every reviewer and admin is told of each instead; ` +
    `add them as a reviewer or admin on the Team page, or change the setting.`
  );
}

/** The staff who work requests: auditors read the record and are not told of each arrival nor given one. */
function teamOf(db: Executor): string[] {
  return preparedOnce(db, "new-request notice: the team", (ex) =>
    ex.select({ email: staff.email }).from(staff).where(inArray(staff.role, CASEWORK_ROLES)).orderBy(asc(staff.email)).prepare(),
  )
    .all()
    .map((m) => m.email);
}

/** How many waiting notices one transaction addresses; more wait for the next round, straight after. */
export const TEAM_NOTICES_PER_ROUND = 200;

/**
 * Addresses the team's waiting notices: for each, one message in the outbox
 * to every staff member who works requests now (but the one who recorded the
 * request), queued as at filing, and the waiting row gone, all in one
 * transaction. Returns how many messages it queued.
 */
export function addressTeamNotices(db: Db, input: { appUrl: string }): { notices: number; messages: number } {
  // A plain read first: a beat with nothing waiting takes no write lock.
  if (!db.select({ id: teamNotices.id }).from(teamNotices).limit(1).get()) return { notices: 0, messages: 0 };
  return inTransaction(db, (tx) => {
    const waiting = tx.select().from(teamNotices).orderBy(asc(teamNotices.id)).limit(TEAM_NOTICES_PER_ROUND).all();
    if (waiting.length === 0) return { notices: 0, messages: 0 };
    const team = teamOf(tx);
    let messages = 0;
    for (const notice of waiting) {
      const template = { name: notice.template, props: notice.props } as TemplateCall;
      const to = team.filter((email) => email !== notice.exceptEmail);
      messages += enqueueMails(
        tx,
        to.map((email) => ({ subject: notice.subject, template, to: email, kind: notice.kind, requestId: notice.requestId })),
        { now: notice.createdAt, appUrl: input.appUrl },
      ).length;
    }
    tx.delete(teamNotices).where(lte(teamNotices.id, waiting.at(-1)!.id)).run();
    return { notices: waiting.length, messages };
  });
}
