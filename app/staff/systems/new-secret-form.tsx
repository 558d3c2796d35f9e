"use client";

import { useActionState } from "react";
import type { ActionState } from "@/server/action";
import { newSecretAction } from "./actions";

/** A new signing secret for a webhook system, shown once; for when the stored one no longer opens or may have leaked. */
export function NewSecretForm({ id, name }: { id: number; name: string }) {
  const [state, action, pending] = useActionState<ActionState, FormData>(newSecretAction, null);
  const secret = state?.ok ? state.values?.secret : undefined;
  return (
    <form action={action}>
      <input type="hidden" name="id" value={id} />
      <button className="secondary" type="submit" disabled={pending} aria-label={`New secret for ${name}`}>
        New secret
      </button>
      <div role="status">
        {state?.ok === false ? <p className="notice error">{state.message}</p> : null}
        {secret ? (
          <div className="notice warning">
            <p>{state?.message} Shown only now:</p>
            <p>
              <code data-testid="webhook-secret">{secret}</code>
            </p>
          </div>
        ) : null}
      </div>
    </form>
  );
}
