import { unknownDrpAddress } from "@/lib/api/drp/exercise";

export const dynamic = "force-dynamic";

/** Any other address under /v1: the Data Rights Protocol's error (its section 3.06), in JSON, rather than a page. */
function notFound(): Response {
  return unknownDrpAddress();
}

export const GET = notFound;
export const POST = notFound;
export const DELETE = notFound;
