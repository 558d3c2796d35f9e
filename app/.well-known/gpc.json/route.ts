import { GPC_SUPPORT } from "@/lib/http/privacy-signal";

/**
 * The Global Privacy Control support resource (https://w3c.github.io/gpc/):
 * a JSON object saying this site abides by GPC requests, and since when.
 */
export function GET() {
  return Response.json(GPC_SUPPORT, { headers: { "Cache-Control": "public, max-age=86400" } });
}
