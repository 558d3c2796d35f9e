import { fileAgentRequest } from "@/lib/api/drp/exercise";
import { drpEnv } from "@/server/drp";

export const dynamic = "force-dynamic";

/** DRP 1.0 section 2.01: an authorised agent files a data rights request. */
export async function POST(request: Request) {
  return fileAgentRequest(drpEnv(), request);
}
