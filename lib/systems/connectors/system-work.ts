/**
 * The one piece of work a connected system does for a request, whatever
 * kind it is: gather for an access export, count (the dry run), erase,
 * correct or unsubscribe. The result carries a sentence for the record and,
 * for an access request, what was found.
 */
import type { OutboundPolicy } from "@/lib/http/outbound-address";
import type { ConnectedSystem } from "./connected-systems";
import { correctInDatabase, dryRunErasure, eraseInDatabase, gatherForExport, unsubscribeInDatabase } from "./database-connector";
import type { CorrectionChanges, ExportedTable, TableErasureCount } from "./database-work";
import { parseDatasetMap } from "./dataset-map";
import { openMailman, type Membership } from "./mailman";
import { driverFor } from "./pools";

export type Work =
  | { type: "access"; email: string }
  /** `timeZone`: the organisation's, whose calendar day a keep rule's period is counted back from. */
  | { type: "dry-run"; email: string; now: Date; timeZone: string }
  | { type: "erasure"; email: string; now: Date; timeZone: string; hashValue: (value: string) => string }
  | { type: "correction"; email: string; changes: CorrectionChanges }
  | { type: "unsubscribe"; email: string; lists?: readonly string[] };

/** A list the address is on, as the export shows it. */
export type ListMembership = { list: string; listName: string; role: string; subscribedAt: string | null; name?: string | null };

export type WorkResult = {
  /** One sentence for the request's record: what was done or found, never the rows themselves. */
  summary: string;
  /** For access: each mapped table's rows (databases). */
  tables?: ExportedTable[];
  /** For access: the lists the address is on (Mailman). */
  lists?: ListMembership[];
  /** For an erasure or its dry run: per table (databases). */
  counts?: TableErasureCount[];
  /** For an unsubscribe or an erasure on a list server: how many lists it was taken off. */
  listsEnded?: number;
};

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "Email address: 1 deleted; Contributions: 1 deleted, 1 kept (Tax law …)", or that nothing was found. */
export function erasureSentence(counts: readonly TableErasureCount[], would: boolean): string {
  const parts = counts
    .filter((c) => c.deleted + c.masked + c.kept > 0)
    .map((c) => {
      const bits = [
        c.deleted > 0 ? `${c.deleted} ${would ? "to delete" : "deleted"}` : null,
        c.masked > 0 ? `${c.masked} ${would ? "to anonymise" : "anonymised"}` : null,
        c.kept > 0 ? `${c.kept} ${would ? "to keep" : "kept"}${c.keptWhy ? ` (${c.keptWhy})` : ""}` : null,
      ].filter(Boolean);
      return `${c.label}: ${bits.join(", ")}`;
    });
  return parts.length > 0 ? `${parts.join("; ")}.` : "Nothing was found for the address.";
}

function listMembership(m: Membership): ListMembership {
  return { list: m.list, listName: m.listName, role: m.role, subscribedAt: m.subscribedAt, name: m.displayName };
}

/** Whether an unsubscribe has anything to do in this system: a list server, or a map with an unsubscribe rule. */
export function unsubscribesThere(system: { kind: string; mapText: string | null }): boolean {
  if (system.kind === "mailman") return true;
  if (system.kind !== "postgres" && system.kind !== "mysql") return false;
  const parsed = parseDatasetMap(system.mapText ?? "");
  return parsed.ok && Object.values(parsed.map.tables).some((t) => t.unsubscribe !== undefined);
}

export async function carryOutWork(system: ConnectedSystem, work: Work, policy: OutboundPolicy): Promise<WorkResult> {
  if (system.kind === "mailman") {
    const client = await openMailman({ settings: system.settings, password: system.password }, policy);
    switch (work.type) {
      case "access": {
        const lists = (await client.memberships(work.email)).map(listMembership);
        return { summary: lists.length > 0 ? `Searched: the address is on ${plural(lists.length, "list")}.` : "Searched: the address is on no list.", lists };
      }
      case "dry-run": {
        const found = await client.memberships(work.email);
        return { summary: found.length > 0 ? `${plural(found.length, "list membership")} to remove, with the address itself.` : "The address is on no list." };
      }
      case "erasure": {
        const erased = await client.erase(work.email);
        return { summary: `Removed from ${plural(erased.removed.length, "list")}; the list server no longer knows the address.`, listsEnded: erased.removed.length };
      }
      case "unsubscribe": {
        const done = await client.unsubscribe(work.email, work.lists);
        const did =
          done.removed.length > 0
            ? `Unsubscribed from ${plural(done.removed.length, "list")}: ${done.removed.map((m) => m.list).join(", ")}.`
            : work.lists
              ? "The address was on none of the lists named."
              : "The address was on no list.";
        const missing =
          done.missing.length > 0
            ? ` The list server has no list ${done.missing.join(", ")}: name lists in imports as the list server does (its list id or posting address), or that list stays as it was there.`
            : "";
        return { summary: `${did}${missing}`, listsEnded: done.removed.length };
      }
      case "correction": {
        // Mailman keeps a name with the address (and its user): a corrected name is written there. Its addresses cannot be
        // renamed, so a corrected address reaches it only when the supporter subscribes with it.
        const name = work.changes.name;
        if (name === undefined) return { summary: "Nothing to correct: of the corrected fields, a list server keeps only the name." };
        const renamed = await client.rename(work.email, name);
        if (!renamed.known) return { summary: "Nothing to correct: the list server does not know the address." };
        return { summary: renamed.user ? "Written: the name of the address and of its user." : "Written: the name of the address." };
      }
    }
  }
  const driver = await driverFor(system, policy);
  switch (work.type) {
    case "access": {
      const tables = await gatherForExport(driver, system.mapText, work.email);
      const rows = tables.reduce((n, t) => n + t.rows.length, 0);
      return { summary: `Searched ${plural(tables.length, "table")}: ${plural(rows, "row")} found.`, tables };
    }
    case "dry-run": {
      const counts = await dryRunErasure(driver, system.mapText, work);
      return { summary: erasureSentence(counts, true), counts };
    }
    case "erasure": {
      const counts = await eraseInDatabase(driver, system.mapText, work);
      return { summary: erasureSentence(counts, false), counts };
    }
    case "correction": {
      const written = await correctInDatabase(driver, system.mapText, { email: work.email, changes: work.changes });
      return {
        summary: written.length > 0 ? `Written: ${written.map((w) => `${w.label} (${w.columns.join(", ")}) in ${plural(w.rows, "row")}`).join("; ")}.` : "Nothing to write: the map lets no correction reach this system, or the address has no rows.",
      };
    }
    case "unsubscribe": {
      const counts = await unsubscribeInDatabase(driver, system.mapText, work.email);
      const rows = counts.reduce((n, c) => n + c.rows, 0);
      return { summary: rows > 0 ? `${counts.map((c) => `${c.label}: ${plural(c.rows, "row")} ${c.how}`).join("; ")}.` : "No subscription rows for the address." };
    }
  }
}
