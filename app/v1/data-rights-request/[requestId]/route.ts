import { requestStatus, revokeAgentRequest } from "@/lib/api/drp/exercise";
import { drpEnv } from "@/server/drp";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ requestId: string }> };

/** DRP 1.0 section 2.02: the request's status. */
export async function GET(request: Request, context: Context) {
  return requestStatus(drpEnv(), request, (await context.params).requestId);
}

/** DRP 1.0 section 2.04: the agent revokes the request on the person's behalf. */
export async function DELETE(request: Request, context: Context) {
  return revokeAgentRequest(drpEnv(), request, (await context.params).requestId);
}
