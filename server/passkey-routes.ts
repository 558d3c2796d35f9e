import "server-only";
import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { isStaff } from "@/lib/auth/load-viewer";
import { relyingPartyFor } from "@/lib/auth/webauthn";
import { parseAuthenticationStep, parseRegistrationStep } from "@/lib/staff/passkey-forms";
import { beginAuthentication, beginRegistration, finishAuthentication, finishRegistration } from "@/lib/staff/passkeys";
import type { RenewedSession } from "@/lib/auth/second-factor";
import { withSessionCookie } from "./follow-link";
import { getSettings } from "./settings";
import { getSessionToken, getViewer } from "./viewer";

/**
 * The two passkey ceremonies, each one route taking JSON: `{ "step":
 * "options" }` answers the options for the browser, `{ "step": "verify", … }`
 * checks its answer. Like every route here they check the session
 * themselves: adding a passkey is for staff signed in (or told to add one
 * before going on); using one is for a session waiting for it.
 */

const NO_STORE = { "Cache-Control": "no-store" };

function json(status: number, body: unknown): Response {
  return Response.json(body, { status, headers: NO_STORE });
}

/**
 * A ceremony done: a session that waited for it went on under a new token,
 * which the cookie now carries (set as the emailed link's button sets it).
 */
function done(message: string, renewed: RenewedSession | null): Response {
  const response = NextResponse.json({ message }, { status: 200, headers: NO_STORE });
  return renewed ? withSessionCookie(response, renewed) : response;
}

async function bodyOf(request: Request): Promise<unknown> {
  return request.json().catch(() => null);
}

function relyingParty() {
  const { appUrl, orgName } = getSettings();
  return relyingPartyFor(appUrl, orgName);
}

const SIGN_IN_AGAIN = { error: "Your session has ended. Please sign in again." };
const NOT_FOUND = { error: "Not found." };

/** POST /signin/passkey/register: a staff member adds a passkey to their own account. */
export async function registrationRoute(request: Request): Promise<Response> {
  const viewer = await getViewer();
  const token = await getSessionToken();
  if (!viewer || !token) return json(401, SIGN_IN_AGAIN);
  // Staff signed in, any role; or a member whose organisation requires a passkey and who has none yet.
  if (!isStaff(viewer) && viewer.awaiting !== "enrol") {
    return viewer.awaiting === "passkey" ? json(403, { error: "Use one of your passkeys first." }) : json(404, NOT_FOUND);
  }
  const rp = relyingParty();
  if (!rp.ok) return json(409, { error: rp.message });
  const step = parseRegistrationStep(await bodyOf(request));
  if (!step.ok) return json(400, { error: step.message });
  const now = new Date();
  if (step.value.step === "options") {
    const begun = await beginRegistration(getDb(), { email: viewer.email, sessionToken: token, rp: rp.rp, now });
    return begun.ok ? json(200, { options: begun.options }) : json(409, { error: begun.message });
  }
  const added = await finishRegistration(getDb(), { email: viewer.email, sessionToken: token, rp: rp.rp, response: step.value.response, name: step.value.name, now });
  return added.ok ? done(added.message, added.renewed) : json(400, { error: added.message });
}

/** POST /signin/passkey/authenticate: the second factor after the emailed link. */
export async function authenticationRoute(request: Request): Promise<Response> {
  const viewer = await getViewer();
  const token = await getSessionToken();
  if (!viewer || !token) return json(401, SIGN_IN_AGAIN);
  if (viewer.awaiting !== "passkey") return json(404, NOT_FOUND);
  const rp = relyingParty();
  if (!rp.ok) return json(409, { error: rp.message });
  const step = parseAuthenticationStep(await bodyOf(request));
  if (!step.ok) return json(400, { error: step.message });
  const now = new Date();
  if (step.value.step === "options") {
    const begun = await beginAuthentication(getDb(), { email: viewer.email, sessionToken: token, rp: rp.rp, now });
    return begun.ok ? json(200, { options: begun.options }) : json(409, { error: begun.message });
  }
  const used = await finishAuthentication(getDb(), { email: viewer.email, sessionToken: token, rp: rp.rp, response: step.value.response, now });
  return used.ok ? done(used.message, used.renewed) : json(400, { error: used.message });
}
