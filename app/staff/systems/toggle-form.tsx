"use client";

import { useActionState } from "react";
import type { ActionState } from "@/server/action";
import { toggleSystemAction } from "./actions";

export function ToggleSystemForm({ id, name, active }: { id: number; name: string; active: boolean }) {
  const [, action, pending] = useActionState<ActionState, FormData>(toggleSystemAction, null);
  return (
    <form action={action}>
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="active" value={active ? "no" : "yes"} />
      <button className="secondary" type="submit" disabled={pending} aria-label={`${active ? "Switch off" : "Switch on"} ${name}`}>
        {active ? "Switch off" : "Switch on"}
      </button>
    </form>
  );
}
