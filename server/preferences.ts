import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { inTransaction } from "@/db/transaction";
import { originProblem } from "@/lib/http/request-checks";
import { linkDestination } from "@/lib/auth/sign-in-link";
import { PRIVACY_SIGNAL_HEADER, sendsPrivacySignal } from "@/lib/http/privacy-signal";
import { enqueueMail } from "@/lib/mail/outbox";
import { preferenceLinkMail } from "@/lib/mail/emails/preference-link";
import { PREFERENCE_LINK_DAYS, verifyPreferenceToken } from "@/lib/mail/preference-link";
import { honourPrivacySignal } from "@/lib/choices/privacy-signal";
import { parseChoicesForm, saveChoices, type PageAccess } from "@/lib/choices/preference-centre";
import { requestClientAddress } from "./client-address";
import { getRateLimits } from "./rate-limits";
import { getPortalContext, getSettings } from "./settings";
import { getViewer } from "./viewer";
import { requestLanguage } from "./language";
import { orgNameIn } from "./org-name";
import { kickWorker } from "./worker";

/**
 * The preference page's buttons post plain forms here (reached from the
 * link in an email, or signed in at /requests/preferences). Opening the
 * page changes nothing; only these POSTs do, and each answers a browser
 * with a page to go to, never an error page.
 */

export const SIGNED_IN_PAGE = "/requests/preferences";

function goTo(path: string): NextResponse {
  return NextResponse.redirect(new URL(path, getSettings().appUrl), 303);
}

/** The form's fields, once the request is known to come from this site's own page (proxy.ts checks that too). */
async function formOf(request: NextRequest): Promise<FormData | Response> {
  const { appUrl, trustProxy } = getSettings();
  const problem = originProblem((name) => request.headers.get(name), appUrl, trustProxy);
  if (problem) return Response.json({ error: problem.message }, { status: problem.status });
  return (await request.formData().catch(() => null)) ?? new FormData();
}

function text(form: FormData, name: string): string | null {
  const value = form.get(name);
  return typeof value === "string" ? value : null;
}

/** The page a token opens, by its own address. */
export function tokenPage(token: string): string {
  // No token at all is a link that does not work, and its page says so.
  return `/preferences/${encodeURIComponent(token === "" ? "none" : token)}`;
}

/** Saves the page: for the address a signed link names, or for the person signed in. */
export async function saveChoicesRoute(request: NextRequest): Promise<Response> {
  const form = await formOf(request);
  if (form instanceof Response) return form;
  const token = text(form, "token");
  let email: string;
  let access: PageAccess;
  let back: string;
  const now = new Date();
  if (token !== null) {
    back = tokenPage(token);
    const check = verifyPreferenceToken(token, getSettings().authSecret, now);
    // The page says whether the link expired or was never valid.
    if (!check.ok) return goTo(back);
    email = check.email;
    access = { via: "link" };
  } else {
    const viewer = await getViewer();
    if (!viewer) return goTo(`/signin?next=${encodeURIComponent(SIGNED_IN_PAGE)}`);
    email = viewer.email;
    access = { via: "session" };
    back = SIGNED_IN_PAGE;
  }
  const parsed = parseChoicesForm((name) => form.getAll(name).filter((v): v is string => typeof v === "string"));
  if (!parsed.ok) return goTo(`${back}?problem=form`);
  const saved = saveChoices(getDb(), {
    email,
    form: parsed.value,
    access,
    privacySignal: sendsPrivacySignal(request.headers.get(PRIVACY_SIGNAL_HEADER)),
    now,
    ctx: getPortalContext(),
    language: await requestLanguage(),
  });
  if (!saved.ok) return goTo(`${back}?problem=unknown-list`);
  if (saved.reference || saved.joined.length > 0) kickWorker();
  const query = new URLSearchParams({ saved: "1", joined: String(saved.joined.length), left: String(saved.left.length) });
  if (saved.reference) query.set("ref", saved.reference);
  return goTo(`${back}?${query.toString()}`);
}

/**
 * From an expired link's page: a fresh link, emailed to the address the old
 * one names (its signature shows we made it for that address, so only its
 * owner receives the new one), within the same per-address and per-network
 * limits as sign-in links.
 */
export async function sendNewLinkRoute(request: NextRequest): Promise<Response> {
  const form = await formOf(request);
  if (form instanceof Response) return form;
  const token = text(form, "token") ?? "";
  const now = new Date();
  const check = verifyPreferenceToken(token, getSettings().authSecret, now);
  if (check.ok || check.reason !== "expired") return goTo(tokenPage(token));
  const admitted = await (await getRateLimits()).admitSignInLink({ ip: await requestClientAddress(), email: check.email });
  if (!admitted.ok) return goTo(`${tokenPage(token)}?problem=limit`);
  const ctx = getPortalContext();
  // The email speaks the language the expired link's page was read in.
  const language = await requestLanguage();
  const orgName = orgNameIn(language);
  inTransaction(getDb(), (tx) =>
    enqueueMail(tx, { ...preferenceLinkMail.draft({ language, orgName, days: PREFERENCE_LINK_DAYS }), to: check.email, kind: "preference-link" }, { now, appUrl: ctx.appUrl }),
  );
  kickWorker();
  return goTo(`${tokenPage(token)}?sent=1`);
}

/**
 * The browser's privacy signal, for the person signed in: posted by the
 * page that saw the signal (a page view itself changes nothing). The header
 * on this very request must carry the signal; the form's fields count for
 * nothing, so no page can record it for someone whose browser does not send it.
 */
export async function recordPrivacySignalRoute(request: NextRequest): Promise<Response> {
  const form = await formOf(request);
  if (form instanceof Response) return form;
  const destination = linkDestination(text(form, "back"), getSettings().appUrl);
  const asJson = (request.headers.get("accept") ?? "").includes("application/json");
  const viewer = await getViewer();
  if (!viewer) return asJson ? Response.json({ error: "Your session has ended. Please sign in again." }, { status: 401 }) : goTo(`/signin?next=${encodeURIComponent(destination)}`);
  if (!sendsPrivacySignal(request.headers.get(PRIVACY_SIGNAL_HEADER))) {
    return asJson ? Response.json({ error: "Your browser did not send the privacy signal (Sec-GPC: 1) with this request." }, { status: 400 }) : goTo(destination);
  }
  const recorded = inTransaction(getDb(), (tx) => honourPrivacySignal(tx, { email: viewer.email, now: new Date(), regime: getPortalContext().regime }));
  return asJson ? Response.json({ recorded: true, new: recorded }) : goTo(destination);
}
