"use client";

import { useActionState } from "react";
import type { ActionState } from "@/server/action";

type KeyRow = { id: number; name: string; added: string; lastUsed: string | null };

/** The member's passkeys, each with a button to remove it; the answer stays above the list when a row goes. */
export function PasskeyList({ keys, action }: { keys: KeyRow[]; action: (state: ActionState, formData: FormData) => Promise<ActionState> }) {
  const [state, formAction, pending] = useActionState<ActionState, FormData>(action, null);
  const problem = state && !state.ok ? (Object.values(state.fieldErrors ?? {})[0] ?? state.message) : undefined;
  return (
    <>
      <div role="status">{state?.ok ? <p className="notice success">{state.message}</p> : null}</div>
      <div role="alert">{problem ? <p className="notice error">{problem}</p> : null}</div>
      {keys.length === 0 ? (
        <p>You have no passkey yet: the emailed link alone signs you in.</p>
      ) : (
        <ul className="passkeys">
          {keys.map((k) => (
            <li key={k.id}>
              <strong>{k.name}</strong> <span className="muted">added {k.added}; {k.lastUsed ? `last used ${k.lastUsed}` : "not used yet"}</span>{" "}
              <form action={formAction} className="inline-form">
                <input type="hidden" name="id" value={String(k.id)} />
                <button type="submit" className="secondary" disabled={pending}>
                  Remove<span className="visually-hidden"> the passkey {k.name}</span>
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
