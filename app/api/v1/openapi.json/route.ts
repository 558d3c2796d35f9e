import { openApiDocument } from "@/lib/api/openapi";
import { getSettings } from "@/server/settings";

export const dynamic = "force-dynamic";

/** The API's OpenAPI 3.1 document, for anyone: it describes the interface and holds nothing about anyone. */
export function GET() {
  const settings = getSettings();
  return Response.json(openApiDocument({ appUrl: settings.appUrl, orgName: settings.orgName }), { headers: { "Cache-Control": "no-store" } });
}
