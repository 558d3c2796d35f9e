"use server";

import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { parsePasskeyIdForm } from "@/lib/staff/passkey-forms";
import { removeOwnPasskey } from "@/lib/staff/passkeys";
import { parseOtherSessionsForm, parseOwnSessionForm } from "@/lib/staff/session-forms";
import { endOwnOtherSessions, endOwnSession, type SessionEnd } from "@/lib/staff/staff-sessions";
import { formAction, type ActionState } from "@/server/action";
import { sessionCookieName } from "@/server/settings";
import { getSessionToken } from "@/server/viewer";

// A staff member's own account, auditors included: formAction checks "any-staff" on every call.

async function answer(result: SessionEnd): Promise<ActionState> {
  if (result.ok && result.endedCurrent) {
    // This browser's session is gone; its cookie goes too, so it is plainly signed out.
    (await cookies()).delete(sessionCookieName());
    redirect("/signin");
  }
  revalidatePath("/staff/account");
  return { ok: result.ok, message: result.message };
}

export const endSessionAction = formAction({ access: "any-staff", parse: (input) => parseOwnSessionForm(input) }, async ({ handle }, viewer) =>
  answer(endOwnSession(getDb(), { email: viewer.email, handle, currentToken: await getSessionToken() })),
);

export const endOtherSessionsAction = formAction({ access: "any-staff", parse: (input) => parseOtherSessionsForm(input) }, async (_input, viewer) => {
  const token = await getSessionToken();
  if (!token) return { ok: false, message: "Your session has ended. Please sign in again." };
  return answer(endOwnOtherSessions(getDb(), { email: viewer.email, currentToken: token }));
});

/** A member removes one of their own passkeys (never their last while the organisation requires one). */
export const removePasskeyAction = formAction({ access: "any-staff", parse: (input) => parsePasskeyIdForm(input) }, ({ id }, viewer) => {
  const result = removeOwnPasskey(getDb(), { email: viewer.email, id, now: new Date() });
  revalidatePath("/staff/account");
  return { ok: result.ok, message: result.message };
});
