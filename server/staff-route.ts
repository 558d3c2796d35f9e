import "server-only";
import type { StaffRole } from "@/db/schema";
import { isStaff, type Viewer } from "@/lib/auth/load-viewer";
import { csvStream } from "@/lib/reports/csv";
import { getViewer, secondFactorPath } from "./viewer";

const NO_STORE = { "Cache-Control": "no-store" };

/**
 * The one way to write a staff-only GET route handler. Pages answer non-staff
 * with notFound(); a route handler has to build that answer itself, so it is
 * built here, before `handle` runs: a visitor with no session is sent to sign
 * in, a staff member still to use their passkey is sent to it, and anyone
 * signed in who is not staff gets a bare 404, as for a page that does not
 * exist.
 */
export function staffOnlyGet(path: string, handle: (viewer: Viewer & { role: StaffRole }, request: Request) => Response | Promise<Response>) {
  return async function GET(request: Request): Promise<Response> {
    const viewer = await getViewer();
    if (!viewer) {
      return new Response(null, { status: 307, headers: { ...NO_STORE, Location: `/signin?next=${encodeURIComponent(path)}` } });
    }
    if (viewer.awaiting) return new Response(null, { status: 307, headers: { ...NO_STORE, Location: secondFactorPath(path) } });
    if (!isStaff(viewer)) {
      return new Response("Not found.\n", { status: 404, headers: { ...NO_STORE, "Content-Type": "text/plain; charset=utf-8" } });
    }
    return handle(viewer, request);
  };
}

/** A CSV file download, streamed as it is read; never cached, since it holds personal data. */
export function csvDownload(filename: string, records: Iterable<string>): Response {
  return new Response(csvStream(records), {
    headers: {
      ...NO_STORE,
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
    },
  });
}
