import type { Db } from "@/db/connection";
import { inTransaction } from "@/db/transaction";
import { loadForChange, type ChangeResult, type RequestActor } from "../lifecycle/request-change";
import { recordEvent } from "@/lib/requests/lifecycle/events";

/**
 * A note for staff only: it joins the record but never reaches the supporter,
 * and it does not count as a change that another reviewer's open form must see.
 */
export function addInternalNote(
  db: Db,
  input: { reference: string; actor: RequestActor; note: string; now: Date },
): ChangeResult {
  if (input.actor.type !== "staff") return { ok: false, reason: "not_permitted", message: "Only staff can add internal notes." };
  return inTransaction(db, (tx) => {
    const loaded = loadForChange(tx, input);
    if (!loaded.ok) return loaded;
    recordEvent(tx, {
      requestId: loaded.request.id,
      at: input.now,
      actorType: "staff",
      actorEmail: input.actor.type === "staff" ? input.actor.email : null,
      action: "note",
      fromStatus: null,
      toStatus: null,
      note: input.note,
    });
    return loaded;
  });
}
