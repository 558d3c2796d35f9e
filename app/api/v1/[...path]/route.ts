import { apiErrorResponse } from "@/lib/api/errors";

export const dynamic = "force-dynamic";

/** Any other address under /api/v1: the API's own "not found", in JSON, rather than a page. */
function notFound(): Response {
  return apiErrorResponse("not_found", "There is no such address in this API; see /api/v1/openapi.json for the ones there are.");
}

export const GET = notFound;
export const POST = notFound;
