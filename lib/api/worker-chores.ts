/**
 * The API's chores as the server's worker and `npm run mail:worker` run
 * them, from the installation's settings. (When the background jobs get a
 * home of their own, this becomes one of them.)
 */
import type { Db } from "@/db/connection";
import { portalContextOf } from "@/lib/portal/context";
import type { ResolvedSettings } from "@/lib/settings/resolve";
import { outboundPolicyOf } from "@/lib/systems/outbound-address";
import { apiChores, type ApiChores } from "./chores";
import { loadOrCreateSigningKey } from "./signing-key";

export function apiChoresOf(db: Db, settings: ResolvedSettings): ApiChores {
  return apiChores(db, {
    ctx: portalContextOf(settings),
    outbound: outboundPolicyOf(settings),
    signingKey: loadOrCreateSigningKey(settings.dataDir),
  });
}
