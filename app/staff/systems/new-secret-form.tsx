"use client";

import { useActionState } from "react";
import type { ActionState } from "@/server/action";
import { newSecretAction } from "./actions";
import { ShownOnce } from "@/app/_components/shown-once";

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
        <ShownOnce value={secret} testId="webhook-secret">{state?.message} Shown only now:</ShownOnce>
      </div>
    </form>
  );
}
