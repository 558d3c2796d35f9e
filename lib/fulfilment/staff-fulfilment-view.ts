/** What the staff request page shows about carrying a request out. */
import { eq } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { requests, type RequestStatus, type RequestType } from "@/db/schema";
import { listTasks, type TaskView } from "@/lib/systems/request-tasks";
import { isOpen } from "@/lib/workflow/transitions";
import { SELF_COMPLETING } from "./completion-gate";
import { reviewCorrection, type FieldReview } from "./correction";
import { ERASED_PREFIX, planErasure, type ErasurePlan } from "./erasure";

export type FulfilmentView = {
  reference: string;
  type: RequestType;
  status: RequestStatus;
  open: boolean;
  selfCompleting: boolean;
  erasurePlan: ErasurePlan | null;
  corrections: FieldReview[] | null;
  canDecide: boolean;
  tasks: TaskView[];
};

export function getFulfilmentView(db: Db, input: { reference: string; now: Date }): FulfilmentView | null {
  const request = db.select().from(requests).where(eq(requests.reference, input.reference)).get();
  if (!request) return null;
  const open = isOpen(request.status);
  return {
    reference: request.reference,
    type: request.type,
    status: request.status,
    open,
    selfCompleting: SELF_COMPLETING.has(request.type),
    erasurePlan:
      request.type === "erasure" && open && request.status !== "approved" && !request.subjectEmail.startsWith(ERASED_PREFIX)
        ? planErasure(db, { email: request.subjectEmail, now: input.now })
        : null,
    corrections: request.type === "correction" ? reviewCorrection(db, request) : null,
    canDecide: request.type === "correction" && open && request.status !== "approved",
    tasks: listTasks(db, request.id),
  };
}
