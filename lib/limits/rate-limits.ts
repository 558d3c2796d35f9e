/**
 * Counters per address and per network, kept by rate-limiter-flexible in a
 * table of the portal's own SQLite file, so they survive a restart and are
 * shared by everything in the process. Keys are keyed hashes: the table
 * never holds an email or IP address in the clear.
 */
import { createHmac } from "node:crypto";
import type Database from "better-sqlite3";
import { RateLimiterRes, RateLimiterSQLite } from "rate-limiter-flexible";
import { normalizeEmail } from "@/lib/vocabulary/email-address";
import {
  DAY_SECONDS,
  HOUR_SECONDS,
  LINK_FAILURE_WINDOW_SECONDS,
  type LimitSettings,
} from "./policy";
import type { Language } from "@/lib/language/languages";
import { rateLimitSentence, type CountedLimit } from "./wording";

/** rate-limiter-flexible creates this table itself (if missing) in the same database. */
export const RATE_LIMIT_TABLE = "rate_limits";

const WINDOWS: Record<CountedLimit, number> = {
  linksPerAddressPerHour: HOUR_SECONDS,
  linksPerAddressPerDay: DAY_SECONDS,
  linkRequestsPerIpPerHour: HOUR_SECONDS,
  draftsPerIpPerHour: HOUR_SECONDS,
  linkFailuresPerIpPer15Minutes: LINK_FAILURE_WINDOW_SECONDS,
  mailPerAddressPerDay: DAY_SECONDS,
};

export type RateVerdict =
  | { ok: true }
  | {
      ok: false;
      limit: CountedLimit;
      /** Whole seconds until the window ends: the Retry-After value. */
      retryAfterSeconds: number;
      /** The sentence to show: the limit and when to try again (in English, as staff and the logs read it). */
      message: string;
      /** The same sentence in another language, for the person who is stopped. */
      sentenceIn: (language: Language) => string;
    };

export type RateLimits = {
  /** Someone asks for a sign-in link to `email`. */
  admitSignInLink(input: { ip: string; email: string }): Promise<RateVerdict>;
  /** A visitor who is not signed in submits a request, which emails a confirmation link to `email`. */
  admitDraft(input: { ip: string; email: string }): Promise<RateVerdict>;
  /**
   * Another program (an API key, an authorised agent) asks for a confirmation
   * email to `email`: the address's own limits apply, as for the form; the
   * program's rate is limited by its key instead of a network.
   */
  admitProgramDraft(input: { email: string }): Promise<RateVerdict>;
  /** Whether this network may try another sign-in link, without counting anything. */
  checkLinkFailures(ip: string): Promise<RateVerdict>;
  /** Counts a sign-in link from this network that did not work. */
  recordLinkFailure(ip: string): Promise<void>;
  /** Counts one email about to be sent to `address`; refused once the day's share is used. */
  admitMail(address: string): Promise<RateVerdict>;
  /** Gives back what `admitMail` counted for an email that did not go out after all. */
  returnMail(address: string): Promise<void>;
};

function createLimiter(client: Database.Database, keyPrefix: string, points: number, duration: number): Promise<RateLimiterSQLite> {
  return new Promise((resolve, reject) => {
    const limiter: RateLimiterSQLite = new RateLimiterSQLite(
      {
        storeClient: client,
        storeType: "better-sqlite3",
        tableName: RATE_LIMIT_TABLE,
        keyPrefix,
        points,
        duration,
        // Expired counters are deleted every few minutes rather than kept forever.
        clearExpiredByTimeout: true,
      },
      (error?: Error) => (error ? reject(error) : resolve(limiter)),
    );
  });
}

/** Opens every counter; the table is created on first use. */
export async function openRateLimits(
  client: Database.Database,
  limits: LimitSettings,
  keySecret: string,
): Promise<RateLimits> {
  const names = Object.keys(WINDOWS) as CountedLimit[];
  const limiters = Object.fromEntries(
    await Promise.all(names.map(async (name) => [name, await createLimiter(client, name, limits[name], WINDOWS[name])] as const)),
  ) as Record<CountedLimit, RateLimiterSQLite>;

  const keyOf = (value: string) => createHmac("sha256", keySecret).update(value).digest("base64url").slice(0, 32);

  const refusal = (name: CountedLimit, msBeforeNext: number): RateVerdict => ({
    ok: false,
    limit: name,
    retryAfterSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)),
    message: rateLimitSentence(name, limits[name], msBeforeNext),
    sentenceIn: (language) => rateLimitSentence(name, limits[name], msBeforeNext, language),
  });

  /** Counts one against each limit in turn, stopping at the first that refuses. */
  async function consumeAll(steps: Array<[CountedLimit, string]>): Promise<RateVerdict> {
    for (const [name, value] of steps) {
      try {
        await limiters[name].consume(keyOf(value));
      } catch (error) {
        // The library rejects with a RateLimiterRes when the limit is reached, and with an Error when the store fails.
        if (error instanceof RateLimiterRes) return refusal(name, error.msBeforeNext);
        throw error;
      }
    }
    return { ok: true };
  }

  return {
    admitSignInLink: ({ ip, email }) =>
      consumeAll([
        ["linkRequestsPerIpPerHour", ip],
        ["linksPerAddressPerHour", email],
        ["linksPerAddressPerDay", email],
      ]),
    admitDraft: ({ ip, email }) =>
      consumeAll([
        ["draftsPerIpPerHour", ip],
        ["linkRequestsPerIpPerHour", ip],
        ["linksPerAddressPerHour", email],
        ["linksPerAddressPerDay", email],
      ]),
    admitProgramDraft: ({ email }) =>
      consumeAll([
        ["linksPerAddressPerHour", email],
        ["linksPerAddressPerDay", email],
      ]),
    async checkLinkFailures(ip) {
      const name = "linkFailuresPerIpPer15Minutes";
      const state = await limiters[name].get(keyOf(ip));
      return state && state.consumedPoints >= limits[name] ? refusal(name, state.msBeforeNext) : { ok: true };
    },
    async recordLinkFailure(ip) {
      await consumeAll([["linkFailuresPerIpPer15Minutes", ip]]);
    },
    admitMail: (address) => consumeAll([["mailPerAddressPerDay", normalizeEmail(address)]]),
    async returnMail(address) {
      await limiters.mailPerAddressPerDay.reward(keyOf(normalizeEmail(address)), 1);
    },
  };
}
