/**
 * Each API key's own rate: so many calls a minute, counted by
 * rate-limiter-flexible in the same table as the portal's other counters
 * (lib/limits/rate-limits.ts), so a restart does not hand a runaway program
 * a fresh minute.
 */
import type Database from "better-sqlite3";
import { RateLimiterRes, RateLimiterSQLite } from "rate-limiter-flexible";
import { RATE_LIMIT_TABLE } from "@/lib/limits/rate-limits";
import type { ApiCaller } from "./keys";

export type KeyRateVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

export type KeyRates = { admit(caller: Pick<ApiCaller, "keyId" | "ratePerMinute">): Promise<KeyRateVerdict> };

function openLimiter(client: Database.Database, points: number): Promise<RateLimiterSQLite> {
  return new Promise((resolve, reject) => {
    const limiter: RateLimiterSQLite = new RateLimiterSQLite(
      {
        storeClient: client,
        storeType: "better-sqlite3",
        tableName: RATE_LIMIT_TABLE,
        // One counter family per rate, so a key's rate is part of its counter's name.
        keyPrefix: `api_key_per_minute_${points}`,
        points,
        duration: 60,
        clearExpiredByTimeout: true,
      },
      (error?: Error) => (error ? reject(error) : resolve(limiter)),
    );
  });
}

export function openKeyRates(client: Database.Database): KeyRates {
  const limiters = new Map<number, Promise<RateLimiterSQLite>>();
  const limiterFor = (points: number) => {
    let limiter = limiters.get(points);
    if (!limiter) {
      limiter = openLimiter(client, points);
      limiter.catch(() => limiters.delete(points));
      limiters.set(points, limiter);
    }
    return limiter;
  };
  return {
    async admit(caller) {
      const limiter = await limiterFor(caller.ratePerMinute);
      try {
        await limiter.consume(String(caller.keyId));
        return { ok: true };
      } catch (error) {
        if (error instanceof RateLimiterRes) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
        throw error;
      }
    },
  };
}
