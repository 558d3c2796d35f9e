import { getSettings } from "@/server/settings";

export const dynamic = "force-dynamic";

/**
 * The benchmark's floor for route handlers (npm run bench): the least a
 * route in this build can do. "Not found" unless the server was started with
 * BENCH_ROUTES=1, read when asked, so the same build serves it or not.
 */
export function GET() {
  if (!getSettings().benchRoutes) {
    return new Response("Not found.\n", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  return new Response(null, { status: 204, headers: { "Cache-Control": "no-store" } });
}
