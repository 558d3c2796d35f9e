/**
 * Each API key's own rate: so many calls a minute, counted by
 * rate-limiter-flexible. The counters are kept in the memory of the one
 * server process that answers the API: a per-minute count needs nothing
 * that outlives a restart, and counting in memory leaves every call one
 * database write lighter (the call's own record is the one it makes).
 */
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { ApiCaller } from "./keys";

export type KeyRateVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

export type KeyRates = { admit(caller: Pick<ApiCaller, "keyId" | "ratePerMinute">): Promise<KeyRateVerdict> };

export function openKeyRates(): KeyRates {
  // One limiter per rate, so a key's rate is part of its counter's name; keys are few and rates fewer.
  const limiters = new Map<number, RateLimiterMemory>();
  const limiterFor = (points: number) => {
    let limiter = limiters.get(points);
    if (!limiter) {
      limiter = new RateLimiterMemory({ keyPrefix: `api_key_per_minute_${points}`, points, duration: 60 });
      limiters.set(points, limiter);
    }
    return limiter;
  };
  return {
    async admit(caller) {
      try {
        await limiterFor(caller.ratePerMinute).consume(String(caller.keyId));
        return { ok: true };
      } catch (error) {
        if (error instanceof RateLimiterRes) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
        throw error;
      }
    },
  };
}
