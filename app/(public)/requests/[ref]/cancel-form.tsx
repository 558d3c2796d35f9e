"use client";

import { useActionState } from "react";
import type { ActionState } from "@/server/action";
import { cancelRequest } from "./actions";

export function CancelForm({ reference }: { reference: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(cancelRequest, null);
  return (
    <form action={action} className="stacked">
      {state && !state.ok ? (
        <p className="notice error" role="alert">
          {state.fieldErrors?.reference ?? state.message}
        </p>
      ) : null}
      <input type="hidden" name="reference" value={reference} />
      <p>If you no longer need this request, you can cancel it. We will stop work on it and email you to confirm.</p>
      <div>
        <button className="secondary" type="submit" disabled={pending}>
          {pending ? "Cancelling…" : "Cancel this request"}
        </button>
      </div>
    </form>
  );
}
