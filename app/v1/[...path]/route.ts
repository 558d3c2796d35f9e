import { unknownDrpAddress } from "@/lib/api/drp/exercise";

export const dynamic = "force-dynamic";

// Any other address under /v1: the Data Rights Protocol's error (its section 3.06), in JSON, rather than a page.
export const GET = unknownDrpAddress;
export const POST = unknownDrpAddress;
export const DELETE = unknownDrpAddress;
