/**
 * The page an agent sends the person to while their request waits for them
 * to confirm it (DRP's need_user_verification, section 3.02.1). Confirming
 * is done by the emailed link, as for every request; this page says so, and
 * once it is done offers the way back to the agent. It shows nothing of the
 * person: whoever holds the address sees only the agent and the state.
 */
import { eq } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { drpAgents, drpRequests, requestDrafts, requests } from "@/db/schema";

export type VerificationView =
  | { state: "not_found" }
  | { state: "waiting"; agentName: string; expiresAt: Date }
  | { state: "confirmed"; agentName: string; reference: string; returnTo: string | null }
  | { state: "lapsed" | "revoked"; agentName: string };

/**
 * Where the agent asked to be sent back to, shown as a link and never
 * followed by itself: only a plain https address on the agent's own site
 * (the site an admin registered for it, or a part of it such as
 * app.agent.example under agent.example), so the page of this organisation
 * never offers a link to wherever the address's query names. An agent with
 * no site registered gets no way back.
 */
export function safeReturnAddress(raw: string | undefined, agentSite: string | null): string | null {
  if (!raw || !agentSite) return null;
  try {
    const url = new URL(raw);
    const site = new URL(agentSite);
    if (url.protocol !== "https:" || url.username || url.password) return null;
    if (url.port !== site.port) return null;
    const host = url.hostname;
    return host === site.hostname || host.endsWith(`.${site.hostname}`) ? url.toString() : null;
  } catch {
    return null;
  }
}

export function verificationView(db: Db, input: { requestId: string; requestIdParam: string | undefined; redirectTo: string | undefined; now: Date }): VerificationView {
  // Section 3.02.1: the request_id the agent added must be this very request.
  if (!/^[0-9a-f-]{36}$/.test(input.requestId) || (input.requestIdParam !== undefined && input.requestIdParam !== input.requestId)) return { state: "not_found" };
  const row = db
    .select({ revokedAt: drpRequests.revokedAt, refused: drpRequests.refusedReason, agentName: drpAgents.name, agentSite: drpAgents.webUrl })
    .from(drpRequests)
    .innerJoin(drpAgents, eq(drpAgents.id, drpRequests.agentId))
    .where(eq(drpRequests.id, input.requestId))
    .get();
  if (!row || row.refused) return { state: "not_found" };
  const filed = db.select({ reference: requests.reference }).from(requests).where(eq(requests.intakeId, input.requestId)).get();
  if (filed) return { state: "confirmed", agentName: row.agentName, reference: filed.reference, returnTo: safeReturnAddress(input.redirectTo, row.agentSite) };
  if (row.revokedAt) return { state: "revoked", agentName: row.agentName };
  const draft = db.select({ expiresAt: requestDrafts.expiresAt }).from(requestDrafts).where(eq(requestDrafts.intakeId, input.requestId)).get();
  if (!draft || draft.expiresAt.getTime() <= input.now.getTime()) return { state: "lapsed", agentName: row.agentName };
  return { state: "waiting", agentName: row.agentName, expiresAt: draft.expiresAt };
}
