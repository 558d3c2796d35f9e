import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { confirmDraft } from "@/lib/requests/confirm-draft";
import { getPortalContext, getSettings } from "@/server/settings";
import { getViewer } from "@/server/viewer";
import { kickWorker } from "@/server/worker";

const DRAFT_KEY = /^[A-Za-z0-9_-]{10,64}$/;

/**
 * Where the emailed link lands once next-auth has signed the person in: the
 * draft they proved is theirs becomes a request, and the clock starts.
 */
export async function GET(request: NextRequest) {
  const { appUrl } = getSettings();
  const go = (path: string) => NextResponse.redirect(new URL(path, appUrl), 303);
  const key = request.nextUrl.searchParams.get("draft") ?? "";
  const viewer = await getViewer();
  if (!viewer) {
    return go(`/signin?next=${encodeURIComponent(`/requests/confirm?draft=${DRAFT_KEY.test(key) ? key : ""}`)}`);
  }
  if (!DRAFT_KEY.test(key)) return go("/requests?notice=draft-missing");
  const result = confirmDraft(getDb(), { draftKey: key, viewerEmail: viewer.email, now: new Date(), ctx: getPortalContext() });
  // The limit's sentence is worked out again on the page from the current state, never carried in the address.
  if (!result.ok && result.reason === "limit") return go(`/requests?notice=limit&type=${result.type}`);
  if (!result.ok) return go(`/requests?notice=${result.reason === "expired" ? "draft-expired" : "draft-missing"}`);
  if (!result.alreadyConfirmed) kickWorker();
  return go(`/requests/${result.reference}?notice=confirmed`);
}
