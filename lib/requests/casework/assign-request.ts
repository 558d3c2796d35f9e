import { eq } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { staff } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { worksRequests } from "@/lib/auth/load-viewer";
import { isOpen } from "@/lib/requests/lifecycle/transitions";
import { applyChange, loadForChange, type ChangeResult, type RequestActor } from "../lifecycle/request-change";

/** Gives the request to a staff member, or back to the team when `assigneeEmail` is null. */
export function assignRequest(
  db: Db,
  input: { reference: string; actor: RequestActor; expectedVersion: number; assigneeEmail: string | null; now: Date },
): ChangeResult {
  if (input.actor.type !== "staff") return { ok: false, reason: "not_permitted", message: "Only staff can assign requests." };
  return inTransaction(db, (tx) => {
    const loaded = loadForChange(tx, input);
    if (!loaded.ok) return loaded;
    if (!isOpen(loaded.request.status)) {
      return { ok: false, reason: "not_allowed", message: "A closed request cannot be assigned." };
    }
    if (input.assigneeEmail !== null) {
      const member = tx.select({ role: staff.role }).from(staff).where(eq(staff.email, input.assigneeEmail)).get();
      if (!member) return { ok: false, reason: "invalid", message: `${input.assigneeEmail} is not on the staff list.` };
      if (!worksRequests(member.role)) {
        return { ok: false, reason: "invalid", message: `${input.assigneeEmail} is an auditor: auditors read requests and are not given any to work.` };
      }
    }
    if (loaded.request.assigneeEmail === input.assigneeEmail) {
      return { ok: false, reason: "invalid", message: "The request is already assigned that way." };
    }
    return applyChange(tx, loaded.request, {
      actor: input.actor,
      action: "assigned",
      now: input.now,
      note: input.assigneeEmail ? `Assigned to ${input.assigneeEmail}` : "Unassigned",
      set: { assigneeEmail: input.assigneeEmail },
    });
  });
}
