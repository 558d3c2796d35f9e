import { readFilingRoute } from "@/lib/api/routes";
import { apiHandler } from "@/server/api";

export const dynamic = "force-dynamic";

export const GET = apiHandler(readFilingRoute);
