/** What the staff request page shows about carrying a request out. */
import { eq } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { requests, type RequestStatus, type RequestType } from "@/db/schema";
import { staffExportChoices } from "@/lib/requests/export/staff-export";
import { countOf } from "@/lib/language/plural";
import { loadApprovalPolicy } from "@/lib/org/approval-policy";
import { listTasks, type TaskView } from "@/lib/requests/fulfilment/tasks";
import { isOpen } from "@/lib/requests/lifecycle/transitions";
import { SELF_COMPLETING } from "../lifecycle/completion-gate";
import { reviewCorrection, type FieldReview } from "./correction";
import { isErasedSubject, planErasure, type ErasurePlan } from "./erasure";
import { standingFirstApproval, type FirstApproval } from "./erasure-approval";

export type FulfilmentView = {
  reference: string;
  type: RequestType;
  status: RequestStatus;
  open: boolean;
  selfCompleting: boolean;
  erasurePlan: ErasurePlan | null;
  /** For an erasure in review: how many approvals it needs, the first one if given, and the sentence to confirm. */
  erasureApproval: { needsTwo: boolean; first: FirstApproval | null; confirmation: string } | null;
  corrections: FieldReview[] | null;
  canDecide: boolean;
  tasks: TaskView[];
  /** For an access request: whether staff can preview the export (before release) or open it as sent. */
  exportChoices: { preview: boolean; sent: boolean };
};

/**
 * "Deleted at once: 1 supporter record, 2 mailing-list subscriptions… Kept: 2 donations…": the list in one sentence,
 * for the confirmation. The first of two approvals erases nothing, so its box says when the deletion happens instead.
 */
export function erasureConfirmation(plan: ErasurePlan, approval: "erases" | "first" = "erases"): string {
  const deleted = plan.deleted.filter((d) => d.count > 0).map((d) => `${d.what.toLowerCase()} (${d.count})`);
  const kept = plan.kept.filter((k) => k.count > 0).map((k) => `${k.what.toLowerCase()} (${k.count})`);
  const what = deleted.length > 0 ? deleted.join(", ") : "no supporter records are held";
  return approval === "first"
    ? `I have checked what approval does. This first approval deletes nothing. Deleted once a different staff member gives the second: ${what}. ` +
        `Kept: ${kept.join(", ")}. ` +
        `Donations are kept anonymised for ${countOf(plan.retentionYears, "year")}. Once erased, this cannot be undone.`
    : `I have checked what approval does. Deleted at once: ${what}. ` +
        `Kept: ${kept.join(", ")}. ` +
        `Donations are kept anonymised for ${countOf(plan.retentionYears, "year")}. This cannot be undone.`;
}

/** An erasure's approval state for its page: the box to tick says what this approval does, first of two or the one that erases. */
function erasureApproval(db: Db, requestId: number, plan: ErasurePlan): NonNullable<FulfilmentView["erasureApproval"]> {
  const needsTwo = loadApprovalPolicy(db).erasureNeedsTwoApprovals;
  const first = standingFirstApproval(db, requestId);
  return { needsTwo, first, confirmation: erasureConfirmation(plan, needsTwo && !first ? "first" : "erases") };
}

export function getFulfilmentView(db: Db, input: { reference: string; now: Date; timeZone: string }): FulfilmentView | null {
  const request = db.select().from(requests).where(eq(requests.reference, input.reference)).get();
  if (!request) return null;
  const open = isOpen(request.status);
  const erasurePlan =
    request.type === "erasure" && open && request.status !== "approved" && !isErasedSubject(request.subjectEmail)
      ? planErasure(db, { email: request.subjectEmail, now: input.now, timeZone: input.timeZone })
      : null;
  return {
    reference: request.reference,
    type: request.type,
    status: request.status,
    open,
    selfCompleting: SELF_COMPLETING.has(request.type),
    erasurePlan,
    erasureApproval: erasurePlan && request.status === "in_review" ? erasureApproval(db, request.id, erasurePlan) : null,
    corrections: request.type === "correction" ? reviewCorrection(db, request) : null,
    canDecide: request.type === "correction" && open && request.status !== "approved",
    tasks: listTasks(db, request.id),
    exportChoices: staffExportChoices(db, request),
  };
}
