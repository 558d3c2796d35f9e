/**
 * How the organisation wants requests approved. Today one rule: whether an
 * erasure needs a second staff member's approval before it is carried out.
 * One row, edited by an admin on /staff/settings; until then one approval is
 * enough.
 */
import type { Executor } from "@/db/connection";
import { approvalPolicy } from "@/db/schema";
import type { FieldErrors } from "@/lib/forms/fields";

export type ApprovalPolicy = { erasureNeedsTwoApprovals: boolean };
export type StoredApprovalPolicy = ApprovalPolicy & { updatedAt: Date | null; updatedBy: string | null };

const POLICY_ID = 1;

export function loadApprovalPolicy(tx: Executor): StoredApprovalPolicy {
  const row = tx.select().from(approvalPolicy).get();
  if (!row) return { erasureNeedsTwoApprovals: false, updatedAt: null, updatedBy: null };
  return { erasureNeedsTwoApprovals: row.erasureNeedsTwoApprovals, updatedAt: row.updatedAt, updatedBy: row.updatedBy };
}

export function saveApprovalPolicy(tx: Executor, policy: ApprovalPolicy, by: { email: string; now: Date }): void {
  const values = { ...policy, updatedAt: by.now, updatedBy: by.email };
  tx.insert(approvalPolicy)
    .values({ id: POLICY_ID, ...values })
    .onConflictDoUpdate({ target: approvalPolicy.id, set: values })
    .run();
}

/** The settings form: a pair of radio buttons, so "neither" is a mistake to name rather than a silent "no". */
export function parseApprovalPolicyForm(input: Record<string, string>): { ok: true; value: ApprovalPolicy } | { ok: false; fieldErrors: FieldErrors } {
  const choice = input.erasureApprovals;
  if (choice === "two") return { ok: true, value: { erasureNeedsTwoApprovals: true } };
  if (choice === "one") return { ok: true, value: { erasureNeedsTwoApprovals: false } };
  return { ok: false, fieldErrors: { erasureApprovals: "Choose whether an erasure needs one approval or two." } };
}
