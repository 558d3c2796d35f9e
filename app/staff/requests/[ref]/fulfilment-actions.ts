"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import type { StaffViewer } from "@/lib/auth/load-viewer";
import { postConcernMessage } from "@/lib/requests/fulfilment/concern-thread";
import { decideCorrections } from "@/lib/requests/fulfilment/correction";
import { parseCorrectionDecisions, parseMessage, parseTaskRetry, parseTaskTick } from "@/lib/requests/fulfilment/forms";
import type { ChangeResult } from "@/lib/requests/lifecycle/request-change";
import { retryStoppedTask, tickManualTask } from "@/lib/requests/fulfilment/complete-task";
import { formAction, type ActionState } from "@/server/action";
import { getPortalContext } from "@/server/settings";
import { kickWorker } from "@/server/worker";


const staffActor = (viewer: StaffViewer) => ({ type: "staff" as const, email: viewer.email, role: viewer.role });

function finish(result: ChangeResult, reference: string, done: string): ActionState {
  if (result.ok) {
    kickWorker();
    // The new version in the address makes each answer a new page: two decisions in a row would otherwise
    // land on the same address, and the forms could keep the version they were first shown with.
    redirect(`/staff/requests/${reference}?done=${done}&v=${result.request.version}`);
  }
  revalidatePath(`/staff/requests/${reference}`);
  return { ok: false, message: result.message };
}

export const decideCorrectionsAction = formAction(
  { access: "staff", parse: parseCorrectionDecisions },
  (input, viewer) => finish(decideCorrections(getDb(), { ...input, actor: staffActor(viewer), now: new Date() }), input.reference, "decided"),
);

export const tickTaskAction = formAction(
  { access: "staff", parse: parseTaskTick },
  (input, viewer) =>
    finish(tickManualTask(getDb(), { ...input, actor: staffActor(viewer), now: new Date(), ctx: getPortalContext() }), input.reference, "task_done"),
);

export const retryTaskAction = formAction(
  { access: "staff", parse: parseTaskRetry },
  (input, viewer) => finish(retryStoppedTask(getDb(), { ...input, actor: staffActor(viewer), now: new Date() }), input.reference, "task_retried"),
);

export const messageAction = formAction(
  { access: "staff", parse: parseMessage },
  (input, viewer) =>
    finish(postConcernMessage(getDb(), { ...input, actor: staffActor(viewer), now: new Date(), ctx: getPortalContext() }), input.reference, "message"),
);
