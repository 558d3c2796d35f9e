"use server";

import { eq } from "drizzle-orm";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { staff } from "@/db/schema";
import { worksRequests } from "@/lib/auth/load-viewer";
import { calendarDateIn } from "@/lib/calendar/dates";
import { countOf } from "@/lib/language/plural";
import { BULK_ACTION_WORDS, countSelection, createBulkJob, processBulkWork, SMALL_BATCH, type BulkSelection } from "@/lib/queue/bulk-actions";
import { parseBulkForm } from "@/lib/queue/bulk-forms";
import { formAction } from "@/server/action";
import { getPortalContext, getSettings } from "@/server/settings";
import { kickWorker } from "@/server/worker";

/**
 * The queue's bulk form: for staff who work requests (formAction checks it on
 * every call). Every request matching a filter is confirmed first, with their
 * number; a few are carried out at once, more in the background, and the
 * person is taken to the action's page either way.
 */
export const bulkAction = formAction({ access: "staff", parse: parseBulkForm }, async (form, viewer) => {
  const db = getDb();
  if (form.action === "assign" && form.params.assignee) {
    const member = db.select({ role: staff.role }).from(staff).where(eq(staff.email, form.params.assignee)).get();
    if (!member || !worksRequests(member.role)) {
      return { ok: false, fieldErrors: { assignee: `${form.params.assignee} is not on the staff list as someone who works requests.` }, message: "Please correct the errors below." };
    }
  }
  const selection: BulkSelection =
    form.scope === "selected"
      ? { kind: "references", references: form.references }
      : { kind: "filter", query: form.query, viewerEmail: viewer.email, today: calendarDateIn(new Date(), getSettings().timeZone) };
  if (form.scope === "filter") {
    const counted = countSelection(db, selection);
    if (!counted.ok) return { ok: false, message: counted.message };
    if (form.confirmedCount !== counted.count) {
      // Nothing happens to every request matching a filter until the person has seen how many that is.
      return {
        ok: false,
        message: `${BULK_ACTION_WORDS[form.action].label}: this covers ${countOf(counted.count, "request")} matching the filter, on every page. Press the button again to go ahead.`,
        values: { action: form.action, confirmedCount: `${form.action}:${counted.count}`, reason: form.params.reason ?? "", assignee: form.params.assignee ?? "" },
      };
    }
  }
  const created = createBulkJob(db, { action: form.action, params: form.params, selection, by: viewer.email, now: new Date() });
  if (!created.ok) return { ok: false, message: created.message };
  if (created.total <= SMALL_BATCH) {
    // A few are carried out now, the same way the background does, so the next page shows them done.
    await processBulkWork(db, { ctx: getPortalContext(), now: () => new Date(), budgetMs: Infinity, sliceMs: 50, pause: () => new Promise((r) => setImmediate(r)), jobId: created.jobId });
  }
  kickWorker();
  redirect(`/staff/bulk/${created.jobId}`);
});
