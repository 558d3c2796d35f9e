/**
 * Test helper: /api/v1 as the server runs it, on a test database, with the
 * real counters (rate-limiter-flexible in the same file) and a clock the
 * test moves. Only tests import this.
 */
import type { Db } from "@/db/connection";
import type { ApiScope } from "@/db/schema";
import type { DrpEnv } from "@/lib/api/drp/exercise";
import { createApiKey } from "@/lib/api/keys";
import { openKeyRates } from "@/lib/api/key-rate";
import type { ApiEnv, ApiRoute } from "@/lib/api/route";
import { handleApiCall } from "@/lib/api/route";
import { API_ROUTES } from "@/lib/api/routes";
import { deliveryAddressProblem } from "@/lib/api/subscriptions";
import { DEFAULT_LIMITS, type LimitSettings } from "@/lib/limits/policy";
import { openRateLimits } from "@/lib/limits/rate-limits";
import type { PortalContext } from "@/lib/settings/portal-context";
import { agentCallbackPolicyOf, systemResolve, type OutboundPolicy } from "@/lib/http/outbound-address";
import { openAgentRates } from "@/lib/api/drp/agent-rate";
import { TEST_CONTEXT } from "./portal-context";

export type TestClock = { now: Date };

export async function testApiEnv(db: Db, options: { clock: TestClock; ctx?: PortalContext; limits?: Partial<LimitSettings> }): Promise<ApiEnv> {
  const ctx = options.ctx ?? TEST_CONTEXT;
  const keyRates = openKeyRates();
  const rateLimits = await openRateLimits(db.$client, { ...DEFAULT_LIMITS, ...options.limits }, ctx.authSecret);
  return {
    db,
    ctx,
    now: () => options.clock.now,
    admitCall: (caller) => keyRates.admit(caller),
    admitConfirmationMail: async (email) => {
      const verdict = await rateLimits.admitProgramDraft({ email });
      return verdict.ok ? { ok: true } : { ok: false, retryAfterSeconds: verdict.retryAfterSeconds, message: verdict.message };
    },
  };
}

export function makeKey(db: Db, scopes: ApiScope[], options: { name?: string; ratePerMinute?: number; now?: Date } = {}): { id: number; key: string } {
  return createApiKey(db, {
    name: options.name ?? `Key ${scopes.join("+")}`,
    scopes,
    ratePerMinute: options.ratePerMinute ?? 1000,
    createdBy: "lead@example.org",
    now: options.now ?? new Date(),
  });
}

/** The route a path and method lead to, with the path's parameters, as Next's router finds them. */
export function routeFor(method: string, path: string): { route: ApiRoute; params: Record<string, string> } | null {
  for (const route of API_ROUTES) {
    if (route.method !== method) continue;
    const names: string[] = [];
    const pattern = new RegExp(
      `^${route.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
        names.push(name);
        return "([^/]+)";
      })}$`,
    );
    const match = pattern.exec(path);
    if (match) return { route, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(match[i + 1]!)])) };
  }
  return null;
}

export type ApiAnswer = { status: number; body: unknown; headers: Headers; route: ApiRoute };

/** One call, as a program would make it. */
export async function callApi(
  env: ApiEnv,
  input: { method: "GET" | "POST"; path: string; key?: string | null; authorization?: string; body?: unknown; rawBody?: string | Uint8Array<ArrayBuffer>; contentType?: string },
): Promise<ApiAnswer> {
  const url = new URL(input.path, TEST_CONTEXT.appUrl);
  const found = routeFor(input.method, url.pathname);
  if (!found) throw new Error(`No route for ${input.method} ${url.pathname}`);
  const headers = new Headers();
  if (input.authorization !== undefined) headers.set("authorization", input.authorization);
  else if (input.key) headers.set("authorization", `Bearer ${input.key}`);
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (input.rawBody !== undefined || input.body !== undefined) {
    body = input.rawBody ?? JSON.stringify(input.body);
    headers.set("content-type", input.contentType ?? "application/json");
  }
  const response = await handleApiCall(env, found.route, new Request(url, { method: input.method, headers, body }), found.params);
  const text = await response.text();
  return { status: response.status, body: text === "" ? null : JSON.parse(text), headers: response.headers, route: found.route };
}

/** The Data Rights Protocol's endpoints as the server runs them, on a test database. */
export async function testDrpEnv(
  db: Db,
  /** `allowPrivateHosts`: the hosts agents' callbacks may reach although private, as AGENT_CALLBACK_ALLOW_PRIVATE_HOSTS names them. */
  options: { clock: TestClock; ctx?: PortalContext; limits?: Partial<LimitSettings>; allowPrivateHosts?: string[]; agentMessagesPerMinute?: number },
): Promise<DrpEnv> {
  const agentRates = openAgentRates(options.agentMessagesPerMinute);
  const api = await testApiEnv(db, options);
  const outbound: OutboundPolicy = { ...agentCallbackPolicyOf({ agentCallbackAllowPrivateHosts: options.allowPrivateHosts ?? ["127.0.0.1"] }), resolve: systemResolve };
  return {
    db,
    ctx: api.ctx,
    now: api.now,
    admitConfirmationMail: api.admitConfirmationMail,
    callbackProblem: (url) => deliveryAddressProblem(url, outbound),
    admitAgentMessage: (agentId) => agentRates.admit(agentId),
  };
}
