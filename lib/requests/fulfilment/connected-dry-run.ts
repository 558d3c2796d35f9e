/**
 * What an erasure would do in each connected system, counted before staff
 * approve (a dry run: read-only, nothing changes there). Each system gets
 * a few seconds; one that does not answer in time, or cannot be reached,
 * says so instead of holding the page.
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { externalSystems } from "@/db/schema";
import { loadConnectedSystem } from "@/lib/systems/connectors/connected-systems";
import type { CredentialsKey } from "@/lib/systems/connectors/credentials";
import type { TableErasureCount } from "@/lib/systems/connectors/database-work";
import { describeFailure, SystemAnswer } from "@/lib/systems/connectors/failures";
import { carryOutWork } from "@/lib/systems/connectors/system-work";
import type { OutboundPolicy } from "@/lib/http/outbound-address";

export type ConnectedCount =
  | { system: string; ok: true; counts: TableErasureCount[] | null; summary: string }
  | { system: string; ok: false; reason: string };

const DRY_RUN_MS = 8_000;

function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SystemAnswer("the system did not answer in time", true)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

export async function connectedErasureCounts(
  db: Db,
  input: { email: string; now: Date; timeZone: string },
  options: { outbound: OutboundPolicy; credentials: CredentialsKey; timeoutMs?: number },
): Promise<ConnectedCount[]> {
  const systems = db
    .select({ id: externalSystems.id, name: externalSystems.name })
    .from(externalSystems)
    .where(and(eq(externalSystems.active, true), inArray(externalSystems.kind, ["postgres", "mysql", "mailman"])))
    .orderBy(asc(externalSystems.name))
    .all();
  return Promise.all(
    systems.map(async ({ id, name }): Promise<ConnectedCount> => {
      try {
        const system = loadConnectedSystem(db, id, options.credentials);
        if (!system) return { system: name, ok: false, reason: "It is no longer a connected system." };
        const result = await within(carryOutWork(system, { type: "dry-run", email: input.email, now: input.now, timeZone: input.timeZone }, options.outbound), options.timeoutMs ?? DRY_RUN_MS);
        return { system: name, ok: true, counts: result.counts ?? null, summary: result.summary };
      } catch (error) {
        const sentence = describeFailure(error).sentence;
        return { system: name, ok: false, reason: `${sentence.charAt(0).toUpperCase()}${sentence.slice(1).replace(/\.$/, "")}.` };
      }
    }),
  );
}
