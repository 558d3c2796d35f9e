/**
 * Which program filed a request: an API key (api_filings) or an authorised
 * agent (drp_requests), found by the request's intake id. The queue, the
 * request page and the API all show it the same way.
 */
import { eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db/connection";
import { apiFilings, apiKeys, drpAgents, drpRequests } from "@/db/schema";

export type RequestOrigin = { kind: "api_key" | "agent"; name: string; intakeId: string };

/** The origins of the given intake ids, by id; ids no program holds are absent. */
export function originsOf(db: Executor, intakeIds: readonly string[]): Map<string, RequestOrigin> {
  const found = new Map<string, RequestOrigin>();
  const ids = [...new Set(intakeIds)];
  if (ids.length === 0) return found;
  for (const row of db
    .select({ intakeId: apiFilings.intakeId, name: apiKeys.name })
    .from(apiFilings)
    .innerJoin(apiKeys, eq(apiKeys.id, apiFilings.keyId))
    .where(inArray(apiFilings.intakeId, ids))
    .all()) {
    found.set(row.intakeId, { kind: "api_key", name: row.name, intakeId: row.intakeId });
  }
  for (const row of db
    .select({ intakeId: drpRequests.id, name: drpAgents.name })
    .from(drpRequests)
    .innerJoin(drpAgents, eq(drpAgents.id, drpRequests.agentId))
    .where(inArray(drpRequests.id, ids))
    .all()) {
    found.set(row.intakeId, { kind: "agent", name: row.name, intakeId: row.intakeId });
  }
  return found;
}

export function originOf(db: Executor, intakeId: string | null): RequestOrigin | null {
  return intakeId ? (originsOf(db, [intakeId]).get(intakeId) ?? null) : null;
}

/** The origin as a line for staff: "Sent through the API key “CRM”" or "Sent by the authorised agent Permission Slip". */
export function describeOrigin(origin: RequestOrigin): string {
  return origin.kind === "api_key" ? `Sent through the API key “${origin.name}”` : `Sent by the authorised agent ${origin.name}`;
}
