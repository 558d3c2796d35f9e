/**
 * One /api/v1 call from start to end: the key, its scope and its rate,
 * then the path, query and body against the route's schemas, then the
 * route's own work, and the call on the record. Route handlers in app/ are
 * one line each: they hand the request and this installation to `handleApiCall`.
 */
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Db } from "@/db/connection";
import type { ApiScope } from "@/db/schema";
import type { PortalContext } from "@/lib/settings/portal-context";
import { recordApiCall } from "./call-log";
import { ApiProblem, API_HEADERS, apiErrorResponse, type ApiErrorCode } from "./errors";
import { authenticateApiKey, SCOPE_WORDS, type ApiCaller } from "./keys";
import { parseJsonBody, parsePath, parseQuery } from "./parse";

/** What a call may use of this installation; the server builds it, tests build their own. */
export type ApiEnv = {
  db: Db;
  ctx: PortalContext;
  now(): Date;
  /** Counts one call against the key's rate; the seconds to wait when it is used up. */
  admitCall(caller: ApiCaller): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }>;
  /** The per-address limits on confirmation emails, as for the form. */
  admitConfirmationMail(email: string): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number; message: string }>;
  /** Called after something was queued for the worker (mail), so it goes out at once. */
  queued?(): void;
};

export type ApiResult = {
  status: number;
  body: unknown;
  /** The body already written out as JSON (an answer kept from an earlier call); sent as it is instead of `body`. */
  json?: string;
  reference?: string | null;
  headers?: Record<string, string>;
};

type Schema = z.ZodType;

export type ApiRoute<P extends Schema = Schema, Q extends Schema = Schema, B extends Schema = Schema> = {
  operationId: string;
  method: "GET" | "POST";
  /** As documented: "/api/v1/requests/{reference}". */
  path: string;
  summary: string;
  description: string;
  scope: ApiScope;
  params?: P;
  query?: Q;
  body?: B;
  /** The answers it gives when it succeeds; refusals are documented for every route. */
  responses: Record<number, { description: string; schema: Schema }>;
  run(input: { params: z.output<P>; query: z.output<Q>; body: z.output<B>; caller: ApiCaller; env: ApiEnv; request: Request }): ApiResult | Promise<ApiResult>;
};

/** Keeps each route's own types while they are listed together. */
export function defineRoute<P extends Schema, Q extends Schema, B extends Schema>(route: ApiRoute<P, Q, B>): ApiRoute {
  return route as unknown as ApiRoute;
}

const UNAUTHORIZED: Record<"missing" | "malformed" | "incomplete" | "unknown" | "revoked", string> = {
  missing: "This call needs an API key: send it as Authorization: Bearer followed by the key.",
  malformed: "The Authorization header does not hold an API key: send Authorization: Bearer followed by the key, which starts rdk_.",
  incomplete: "This API key is not whole: a key is rdk_ and 43 more letters, digits, - and _. Copy it again, all of it, from where it was kept.",
  unknown: "This API key is not one we issued, or it was typed wrongly.",
  revoked: "This API key was revoked by an administrator and no longer works.",
};

function json(result: ApiResult): Response {
  if (result.json !== undefined) {
    return new Response(result.json, { status: result.status, headers: { "Content-Type": "application/json", ...API_HEADERS, ...result.headers } });
  }
  return Response.json(result.body, { status: result.status, headers: { ...API_HEADERS, ...result.headers } });
}

export async function handleApiCall(env: ApiEnv, route: ApiRoute, request: Request, rawParams: Record<string, string> = {}): Promise<Response> {
  const found = authenticateApiKey(env.db, request.headers.get("authorization"));
  if (!found.ok) return apiErrorResponse("unauthorized", UNAUTHORIZED[found.reason], { "WWW-Authenticate": 'Bearer realm="rightsdesk"' });
  const caller = found.caller;
  let status = 500;
  let reference: string | null = null;
  try {
    const response = await answer(env, route, request, rawParams, caller);
    status = response.result.status;
    reference = response.result.reference ?? null;
    return response.response;
  } finally {
    try {
      recordApiCall(env.db, { keyId: caller.keyId, at: env.now(), method: route.method, route: route.path, status, reference });
    } catch (error) {
      console.error("[api] could not record a call", error);
    }
  }
}

async function answer(
  env: ApiEnv,
  route: ApiRoute,
  request: Request,
  rawParams: Record<string, string>,
  caller: ApiCaller,
): Promise<{ result: ApiResult; response: Response }> {
  const refuse = (code: ApiErrorCode, message: string, headers: Record<string, string> = {}) => {
    const response = apiErrorResponse(code, message, headers);
    return { result: { status: response.status, body: null }, response };
  };
  if (!caller.scopes.includes(route.scope)) {
    return refuse("forbidden", `This API key may not ${SCOPE_WORDS[route.scope].hint}: that needs the “${SCOPE_WORDS[route.scope].label}” scope, and an administrator can make a key that has it.`);
  }
  const admitted = await env.admitCall(caller);
  if (!admitted.ok) {
    return refuse("rate_limited", `This API key may make ${caller.ratePerMinute} calls a minute and has made them; try again in ${admitted.retryAfterSeconds} seconds.`, {
      "Retry-After": String(admitted.retryAfterSeconds),
    });
  }
  try {
    const params = route.params ? parsePath(route.params, rawParams) : {};
    const query = route.query ? parseQuery(route.query, new URL(request.url).searchParams) : (emptyQuery(request) ?? {});
    const body = route.body ? await parseJsonBody(route.body, request) : undefined;
    const result = await route.run({ params, query, body, caller, env, request });
    return { result, response: json(result) };
  } catch (error) {
    if (error instanceof ApiProblem) return refuse(error.code, error.message, error.headers);
    const id = randomUUID().slice(0, 8);
    console.error(`[api error ${id}]`, error);
    return refuse("server_error", `Something went wrong on our side and nothing was changed. Try again; if it keeps happening, tell the administrator error ${id}.`);
  }
}

/** A route that takes no query refuses one, like an unknown field. */
function emptyQuery(request: Request): null {
  const names = [...new URL(request.url).searchParams.keys()];
  if (names.length > 0) {
    throw new ApiProblem("unknown_field", `This call does not take the parameter${names.length > 1 ? "s" : ""} ${[...new Set(names)].map((n) => `“${n}”`).join(", ")}.`);
  }
  return null;
}
