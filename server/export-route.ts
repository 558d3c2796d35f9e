import "server-only";
import { headers } from "next/headers";
import { getDb } from "@/db/client";
import { decodedOrEmpty } from "@/lib/http/decode";
import { findOwnedExport, recordDownload, type ExportFormat } from "@/lib/requests/export/export-downloads";
import { EXPORT_DAYS, type AccessExport } from "@/lib/requests/export/build-access-export";
import { renderExportHtml, type StaffLook } from "@/lib/requests/export/render-export-html";
import { openSentExport, previewAccessExport } from "@/lib/requests/export/staff-export";
import { isStaff } from "@/lib/auth/load-viewer";
import { parseReference } from "@/lib/vocabulary/reference";
import { wordsFor } from "@/lib/language/catalogue";
import { requestLanguage } from "./language";
import { getPortalContext, getSettings } from "./settings";
import { getViewer, secondFactorPath } from "./viewer";

const NO_STORE = { "Cache-Control": "no-store, private" };

function text(status: number, body: string): Response {
  return new Response(`${body}\n`, { status, headers: { ...NO_STORE, "Content-Type": "text/plain; charset=utf-8" } });
}

/**
 * The one way to write an export download route. A route handler is not
 * covered by the page's checks, so it makes its own: a visitor with no
 * session is sent to sign in; anyone but the request's owner gets the same
 * 404 as for a request that does not exist; an expired export says so. Each
 * download is recorded before the file is sent.
 */
export function exportDownload(format: ExportFormat, render: (doc: AccessExport, page: { styleNonce: string | null }) => Response) {
  return async function GET(_request: Request, { params }: { params: Promise<{ ref: string }> }): Promise<Response> {
    const { ref } = await params;
    const viewer = await getViewer();
    if (!viewer) {
      const back = `/requests/${encodeURIComponent(ref)}`;
      return new Response(null, { status: 307, headers: { ...NO_STORE, Location: `/signin?next=${encodeURIComponent(back)}` } });
    }
    const reference = parseReference(decodedOrEmpty(ref));
    const db = getDb();
    const now = new Date();
    const found = reference ? findOwnedExport(db, { reference, email: viewer.email, now }) : ({ status: "none" } as const);
    if (found.status === "none") return text(404, "Not found.");
    if (found.status === "expired") {
      return text(410, wordsFor(await requestLanguage())("exportPage.expired", { days: EXPORT_DAYS }));
    }
    recordDownload(db, { requestId: found.requestId, format, now });
    const response = render(found.content, { styleNonce: await styleNonce() });
    for (const [name, value] of Object.entries(NO_STORE)) response.headers.set(name, value);
    return response;
  };
}

/**
 * The nonce of this response's Content-Security-Policy, which the proxy
 * passes in on the request (proxy.ts). Every response carries that policy,
 * whose style-src admits inline styles only with the nonce, so the export's
 * one style sheet carries it too; without it the page was unstyled.
 */
async function styleNonce(): Promise<string | null> {
  const policy = (await headers()).get("content-security-policy") ?? "";
  return /'nonce-([A-Za-z0-9+/=_-]+)'/.exec(policy)?.[1] ?? null;
}

/** The readable export as one self-contained page: nothing in it may run or load. */
export function exportHtmlResponse(html: string, filename: string): Response {
  return new Response(html, {
    headers: {
      ...NO_STORE,
      "Content-Type": "text/html; charset=utf-8",
      // The page is plain HTML with inline styles: nothing in it may run or load.
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
      "Content-Disposition": `inline; filename="${filename}"`,
    },
  });
}

/**
 * Staff looking at an access export: the preview before release, or the
 * export as sent. A POST, because looking goes on the request's record, and
 * like every staff route it checks for itself: no session is sent to sign
 * in, anyone not staff gets the same bare 404 as a request that does not
 * exist.
 */
export function staffExportView(look: StaffLook) {
  return async function POST(request: Request): Promise<Response> {
    // The reference is read from the raw path: a malformed escape in it must be a 404, not a failure to decode.
    const ref = new URL(request.url).pathname.split("/")[3] ?? "";
    const viewer = await getViewer();
    if (!viewer) {
      const back = `/staff/requests/${encodeURIComponent(ref)}`;
      return new Response(null, { status: 303, headers: { ...NO_STORE, Location: `/signin?next=${encodeURIComponent(back)}` } });
    }
    if (viewer.awaiting) {
      return new Response(null, { status: 303, headers: { ...NO_STORE, Location: secondFactorPath(`/staff/requests/${encodeURIComponent(ref)}`) } });
    }
    const reference = parseReference(decodedOrEmpty(ref));
    if (!isStaff(viewer) || !reference) return text(404, "Not found.");
    const { timeZone } = getSettings();
    const now = new Date();
    const result =
      look === "preview"
        ? previewAccessExport(getDb(), { reference, staffEmail: viewer.email, ctx: getPortalContext(), now })
        : openSentExport(getDb(), { reference, staffEmail: viewer.email, now });
    if (!result.ok) return text(result.reason === "not_found" ? 404 : 409, result.message);
    const html = renderExportHtml(result.content, timeZone, { staffLook: look, styleNonce: await styleNonce() });
    return exportHtmlResponse(html, `${reference}-${look === "preview" ? "preview" : "data"}.html`);
  };
}
