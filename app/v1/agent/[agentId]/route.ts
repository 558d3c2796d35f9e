import { agentInformation, setUpAgentKey } from "@/lib/api/drp/exercise";
import { drpEnv } from "@/server/drp";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ agentId: string }> };

/** DRP 1.0 section 2.06: whether the agent's bearer token still works. */
export async function GET(request: Request, context: Context) {
  return agentInformation(drpEnv(), request, (await context.params).agentId);
}

/** DRP 1.0 section 2.05: the pair-wise key setup, which issues the agent its bearer token. */
export async function POST(request: Request, context: Context) {
  return setUpAgentKey(drpEnv(), request, (await context.params).agentId);
}
