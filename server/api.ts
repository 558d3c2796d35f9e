import "server-only";
import { getDb } from "@/db/client";
import { openKeyRates, type KeyRates } from "@/lib/api/key-rate";
import { handleApiCall, type ApiEnv, type ApiRoute } from "@/lib/api/route";
import { getRateLimits } from "./rate-limits";
import { getPortalContext } from "./settings";
import { kickWorker } from "./worker";

const shared = globalThis as typeof globalThis & { __rightsdeskKeyRates?: KeyRates };

/** What /api/v1 may use of this installation: the one connection, the counters, the worker. */
export function apiEnv(): ApiEnv {
  const db = getDb();
  shared.__rightsdeskKeyRates ??= openKeyRates();
  const keyRates = shared.__rightsdeskKeyRates;
  return {
    db,
    ctx: getPortalContext(),
    now: () => new Date(),
    admitCall: (caller) => keyRates.admit(caller),
    admitConfirmationMail: async (email) => {
      const verdict = await (await getRateLimits()).admitProgramDraft({ email });
      return verdict.ok ? { ok: true } : { ok: false, retryAfterSeconds: verdict.retryAfterSeconds, message: verdict.message };
    },
    queued: kickWorker,
  };
}

type RouteContext = { params?: Promise<Record<string, string | string[]> | undefined> };

/** A route handler for one /api/v1 route: everything it does is in lib/api (see handleApiCall). */
export function apiHandler(route: ApiRoute) {
  return async (request: Request, context: RouteContext): Promise<Response> => {
    // A route without segments in its address gets no params at all.
    const raw = (await context?.params) ?? {};
    const params = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]));
    return handleApiCall(apiEnv(), route, request, params);
  };
}
