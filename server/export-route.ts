import "server-only";
import { getDb } from "@/db/client";
import { decodedOrEmpty } from "@/lib/http/decode";
import { findOwnedExport, recordDownload, type ExportFormat } from "@/lib/export/export-downloads";
import { EXPORT_DAYS, type AccessExport } from "@/lib/export/build-access-export";
import { parseReference } from "@/lib/requests/reference";
import { getViewer } from "./viewer";

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
export function exportDownload(format: ExportFormat, render: (doc: AccessExport) => Response) {
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
      return text(410, `This export has expired: downloads are available for ${EXPORT_DAYS} days. You can make a new access request from your requests page.`);
    }
    recordDownload(db, { requestId: found.requestId, format, now });
    const response = render(found.content);
    for (const [name, value] of Object.entries(NO_STORE)) response.headers.set(name, value);
    return response;
  };
}
