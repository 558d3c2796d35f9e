/**
 * The queue's bulk form, checked before anything is done: the action, what
 * it needs (an assignee; one reason for refusing or closing, sent to every
 * supporter; for approving, the box about erasures), and which requests:
 * the rows ticked on the page (each a field of its own, `r:RD-…`), or every
 * request matching the filter the page was showing (its fields, `f_…`),
 * confirmed with the count the person was shown for that action
 * ("approve:10000").
 */
import { BULK_ACTIONS, type BulkAction } from "@/db/schema";
import { emailAddress, multiLineText, type FieldErrors, type ParseResult } from "@/lib/forms/fields";
import { parseReference } from "@/lib/vocabulary/reference";
import type { BulkParams } from "./bulk-actions";
import { parseQueueQuery, type QueueQuery } from "./queue-query";

export type BulkForm =
  | { action: BulkAction; params: BulkParams; scope: "selected"; references: string[] }
  | { action: BulkAction; params: BulkParams; scope: "filter"; query: QueueQuery; confirmedCount: number | null };

/** The field each ticked row sends. */
export const ROW_FIELD_PREFIX = "r:";
/** The fields that carry the queue's filter. */
export const FILTER_FIELD_PREFIX = "f_";

const reasonField = multiLineText("The reason", 5000, { required: "Give the reason; it is sent to every supporter." });
const assigneeField = emailAddress("The assignee");

export function parseBulkForm(input: Record<string, string>): ParseResult<BulkForm> {
  const errors: FieldErrors = {};
  const action = BULK_ACTIONS.find((a) => a === input.action);
  if (!action) errors.action = "Choose what to do with the requests.";
  const params: BulkParams = {};
  if (action === "assign") {
    const assignee = assigneeField.safeParse(input.assignee);
    if (!assignee.success) errors.assignee = assignee.error.issues[0]?.message ?? "Choose whom to assign them to.";
    else params.assignee = assignee.data ?? null;
  }
  if (action === "refuse" || action === "close") {
    const reason = reasonField.safeParse(input.reason);
    if (!reason.success || !reason.data) errors.reason = reason.success ? "Give the reason; it is sent to every supporter." : (reason.error.issues[0]?.message ?? "Give the reason.");
    else params.reason = reason.data;
  }
  if (action === "approve") params.confirmedErasure = input.confirmErasure === "yes";

  const scope = input.scope === "filter" ? "filter" : input.scope === "selected" ? "selected" : null;
  if (!scope) errors.scope = "Choose which requests: those ticked, or every request matching the filter.";
  let references: string[] = [];
  if (scope === "selected") {
    const keys = Object.keys(input).filter((k) => k.startsWith(ROW_FIELD_PREFIX));
    references = keys.flatMap((k) => {
      const reference = parseReference(k.slice(ROW_FIELD_PREFIX.length));
      return reference ? [reference] : [];
    });
    if (references.length !== keys.length) errors.scope = "The form named a request that is not one; reload the queue and choose again.";
    else if (references.length === 0) errors.scope = "Tick at least one request, or choose every request matching the filter.";
  }
  if (Object.keys(errors).length > 0 || !action || !scope) return { ok: false, fieldErrors: errors };
  if (scope === "selected") return { ok: true, value: { action, params, scope, references } };
  const filter = Object.fromEntries(
    Object.entries(input)
      .filter(([k]) => k.startsWith(FILTER_FIELD_PREFIX))
      .map(([k, v]) => [k.slice(FILTER_FIELD_PREFIX.length), v]),
  );
  // The count was confirmed for one action: choosing another asks again.
  const token = /^([a-z_]+):(\d{1,7})$/.exec(input.confirmedCount ?? "");
  const confirmed = token && token[1] === action ? Number(token[2]) : null;
  return { ok: true, value: { action, params, scope, query: { ...parseQueueQuery(filter), after: null }, confirmedCount: confirmed } };
}
