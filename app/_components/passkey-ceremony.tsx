"use client";

import { startAuthentication, startRegistration } from "@simplewebauthn/browser";
import { useId, useState } from "react";

type Mode = "authenticate" | "register";

const ROUTES: Record<Mode, string> = { authenticate: "/signin/passkey/authenticate", register: "/signin/passkey/register" };

/** Posts one half of a ceremony and reads the answer; a refusal carries a sentence for the person. */
async function post(mode: Mode, body: unknown): Promise<{ ok: true; data: Record<string, unknown> } | { ok: false; message: string }> {
  let response: Response;
  try {
    response = await fetch(ROUTES[mode], { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  } catch {
    return { ok: false, message: "The portal could not be reached. Check your connection and try again." };
  }
  const data = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) return { ok: false, message: typeof data.error === "string" ? data.error : "Something went wrong on our side. Please try again." };
  return { ok: true, data };
}

/** What the browser says when no passkey was used: cancelled, timed out, or none on this device. */
function browserProblem(error: unknown, mode: Mode): string {
  const name = error instanceof Error ? error.name : "";
  if (name === "InvalidStateError" && mode === "register") return "This device already holds a passkey for your account.";
  if (name === "NotAllowedError" || name === "AbortError") {
    return mode === "authenticate"
      ? "No passkey was used: the request was cancelled or timed out, or this device has none of yours. Try again; if you have lost your passkeys, another admin can reset them."
      : "No passkey was made: the request was cancelled or timed out. Try again.";
  }
  return "This browser could not use a passkey. Try another browser or device.";
}

/**
 * The browser's half of a passkey ceremony, with @simplewebauthn/browser:
 * ask the portal for options, let the browser make or use the passkey, send
 * its answer back. Then go to `next` (after signing in) or reload (after
 * adding one on Your account).
 */
export function PasskeyCeremony({ mode, next, buttonLabel }: { mode: Mode; next: string | null; buttonLabel: string }) {
  const id = useId();
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function run(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const begun = await post(mode, { step: "options" });
      if (!begun.ok) return setProblem(begun.message);
      let answer: unknown;
      try {
        const optionsJSON = begun.data.options as never;
        answer = mode === "authenticate" ? await startAuthentication({ optionsJSON }) : await startRegistration({ optionsJSON });
      } catch (error) {
        return setProblem(browserProblem(error, mode));
      }
      const checked = await post(mode, { step: "verify", response: answer, ...(mode === "register" ? { name } : {}) });
      if (!checked.ok) return setProblem(checked.message);
      setDone(typeof checked.data.message === "string" ? checked.data.message : "Done.");
      if (next) window.location.assign(next);
      else window.location.reload();
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={run} className="stacked" noValidate>
      <div role="alert">{problem ? <p className="notice error">{problem}</p> : null}</div>
      <div role="status">{done ? <p className="notice success">{done}</p> : null}</div>
      {mode === "register" ? (
        <div className="field">
          <label htmlFor={`${id}-name`}>Name of the passkey</label>
          <p className="hint" id={`${id}-hint`}>
            So you can tell your passkeys apart, for example &ldquo;Work laptop&rdquo; or &ldquo;Phone&rdquo;.
          </p>
          <input id={`${id}-name`} name="name" maxLength={60} autoComplete="off" aria-describedby={`${id}-hint`} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
      ) : null}
      <div>
        <button className="primary" type="submit" disabled={busy}>
          {busy ? "Waiting for your passkey…" : buttonLabel}
        </button>
      </div>
    </form>
  );
}
