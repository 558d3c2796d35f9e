/**
 * Each authorised agent's own rate: so many messages a minute that change
 * something (a key setup, a request, a revoke). Every request an agent files
 * emails the person it names, and the form's per-network limits cannot apply
 * to an agent, which sends for many people from one place; without a rate of
 * its own a hostile or broken agent could have the portal email any number
 * of addresses. Counted in the memory of the one server process that answers
 * the protocol, as API keys' rates are (../key-rate.ts): a per-minute count
 * needs nothing that outlives a restart.
 */
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

/** Messages a minute an agent may send that change something. Polling a status is not counted. */
export const AGENT_MESSAGES_PER_MINUTE = 60;

export type AgentRateVerdict = { ok: true } | { ok: false; retryAfterSeconds: number; perMinute: number };

export type AgentRates = { admit(agentId: string): Promise<AgentRateVerdict> };

export function openAgentRates(perMinute = AGENT_MESSAGES_PER_MINUTE): AgentRates {
  const limiter = new RateLimiterMemory({ keyPrefix: "drp_agent_per_minute", points: perMinute, duration: 60 });
  return {
    async admit(agentId) {
      try {
        await limiter.consume(agentId);
        return { ok: true };
      } catch (error) {
        if (error instanceof RateLimiterRes) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)), perMinute };
        throw error;
      }
    },
  };
}
