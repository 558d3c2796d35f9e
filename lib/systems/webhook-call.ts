/**
 * One POST to an outside system, connected to the address that was checked
 * (never looked up again, so a DNS answer that changes between the check and
 * the connection cannot redirect it), with no redirect followed and nothing
 * of the answer kept but its status code.
 */
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { ResolvedAddress } from "@/lib/http/outbound-address";

export type WebhookCall = { url: URL; pinned: ResolvedAddress; headers: Record<string, string>; body: string; timeoutMs: number };

/** The receiving system's status code, or why there was none, as a code for webhookAnswer. */
export type CallOutcome = { status: number } | { failure: CallFailure };
export type CallFailure = "timeout" | "refused" | "unreachable" | "tls" | "reset" | "other";

export type PostWebhook = (call: WebhookCall) => Promise<CallOutcome>;

/** Beside each call's own timeout: checking its address (a DNS lookup) and writing down its answer. */
const CALL_MARGIN_MS = 5_000;

/**
 * How long a worker's claim on `calls` outgoing calls lasts: it makes them
 * one after another, and each may take its whole timeout. Long enough that no
 * other worker takes a call while its claim holds; no longer, so that calls
 * claimed by a worker that died go again soon (one call: 15 seconds).
 */
export function callLeaseMs(calls: number, timeoutMs: number): number {
  return calls * (timeoutMs + CALL_MARGIN_MS);
}

function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    // Node asks for every address when it may try several (autoSelectFamily); it gets the one.
    if (options.all) (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
}

function failureOf(error: unknown): CallFailure {
  const code = String((error as { code?: unknown })?.code ?? (error as { name?: unknown })?.name ?? "");
  if (code === "ABORT_ERR" || code === "AbortError" || code === "TimeoutError" || code === "ETIMEDOUT") return "timeout";
  if (code === "ECONNREFUSED") return "refused";
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH" || code === "EADDRNOTAVAIL") return "unreachable";
  if (code === "ECONNRESET" || code === "EPIPE") return "reset";
  if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH|ERR_CERT)/.test(code)) return "tls";
  return "other";
}

export const postWebhook: PostWebhook = (call) =>
  new Promise((resolve) => {
    const client = call.url.protocol === "https:" ? https : http;
    let settled = false;
    const settle = (outcome: CallOutcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const request = client.request(
      call.url,
      {
        method: "POST",
        headers: { ...call.headers, "content-length": String(Buffer.byteLength(call.body)) },
        lookup: pinnedLookup(call.pinned),
        // A fresh connection each time: a pooled one could have been opened to another address.
        agent: false,
        signal: AbortSignal.timeout(call.timeoutMs),
      },
      (response) => {
        // Only the status counts; the body is never read, so nothing of it can reach a page.
        settle({ status: response.statusCode ?? 0 });
        response.destroy();
      },
    );
    request.on("error", (error) => settle({ failure: failureOf(error) }));
    request.end(call.body);
  });

const FAILURE_SENTENCES: Record<CallFailure, string> = {
  timeout: `the system did not answer in time`,
  refused: "the system refused the connection",
  unreachable: "the system's network could not be reached",
  tls: "the secure connection failed (check the system's certificate)",
  reset: "the connection was cut before the system answered",
  other: "the connection failed",
};

/**
 * Whether calling again could get a different answer. A connection that
 * failed, a server error, and the statuses that mean "not now" (408, 425,
 * 429) are worth another try; a redirect (never followed) and any other
 * refusal (400, 401 for a signature the receiver does not accept, 404 for an
 * address that is wrong, 410, 422…) would be answered the same way until
 * someone changes the address, the secret or the receiver.
 */
export function worthCallingAgain(outcome: CallOutcome): boolean {
  if ("failure" in outcome) return true;
  const { status } = outcome;
  if (status >= 300 && status < 400) return false;
  if (status >= 400 && status < 500) return status === 408 || status === 425 || status === 429;
  return true;
}

/**
 * What staff see of a call: the status code and a fixed sentence, never the
 * body the system answered or a raw error (either could carry the contents
 * of an internal service). It says the call will be tried again only when it
 * will be (see worthCallingAgain).
 */
export function webhookAnswer(outcome: CallOutcome): string {
  if ("failure" in outcome) return `No answer: ${FAILURE_SENTENCES[outcome.failure]}; it will be tried again.`;
  const { status } = outcome;
  if (status >= 200 && status < 300) return `HTTP ${status}: the system confirmed it received the request.`;
  if (status >= 300 && status < 400) return `HTTP ${status}: the system answered with a redirect, which is not followed; check the address.`;
  if (!worthCallingAgain(outcome)) return `HTTP ${status}: the system refused the request (check the address, and the secret it checks signatures with).`;
  return `HTTP ${status}: the system did not accept the request; it will be tried again.`;
}
