import "server-only";
import { getDb } from "@/db/client";
import type { DrpEnv } from "@/lib/api/drp/exercise";
import { deliveryAddressProblem } from "@/lib/api/subscriptions";
import { agentCallbackPolicyOf } from "@/lib/http/outbound-address";
import { openAgentRates, type AgentRates } from "@/lib/api/drp/agent-rate";
import { getRateLimits } from "./rate-limits";
import { getPortalContext, getSettings } from "./settings";
import { kickWorker } from "./worker";

const shared = globalThis as typeof globalThis & { __rightsdeskAgentRates?: AgentRates };

/** What the Data Rights Protocol's endpoints use of this installation. */
export function drpEnv(): DrpEnv {
  shared.__rightsdeskAgentRates ??= openAgentRates();
  const agentRates = shared.__rightsdeskAgentRates;
  // An agent is an outside party: its callback may not reach the hosts allowed for the organisation's own systems.
  const outbound = agentCallbackPolicyOf(getSettings());
  return {
    db: getDb(),
    ctx: getPortalContext(),
    now: () => new Date(),
    admitConfirmationMail: async (email) => {
      const verdict = await (await getRateLimits()).admitProgramDraft({ email });
      return verdict.ok ? { ok: true } : { ok: false, retryAfterSeconds: verdict.retryAfterSeconds, message: verdict.message };
    },
    callbackProblem: (url) => deliveryAddressProblem(url, outbound),
    admitAgentMessage: (agentId) => agentRates.admit(agentId),
    queued: kickWorker,
  };
}
