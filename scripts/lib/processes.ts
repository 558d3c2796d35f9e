/**
 * Plain Node helpers for running the app as a child process, shared by the
 * bench (scripts/bench) and the e2e harness (e2e/support): a free port, a
 * poll of /api/health, and stopping a detached child's whole process group.
 */
import net, { type AddressInfo } from "node:net";

/** Asks the kernel for an unused port on 127.0.0.1; the tiny race until the app binds it is acceptable here. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The app's health endpoint: 200 {"ok":true} once the database answers. */
export const HEALTH_PATH = "/api/health";

export type HealthPoll =
  | { status: "healthy" }
  /** The process stopped before the endpoint answered. */
  | { status: "exited" }
  /** The deadline passed; `lastProblem` says what the last attempt saw. */
  | { status: "timed-out"; lastProblem: string };

/**
 * Polls `url` until it answers 200 {"ok":true} (what /api/health says when the
 * database answers), the process is gone, or `timeoutMs` passes. Callers turn
 * the outcome into their own message.
 */
export async function pollHealth(
  url: string,
  options: { timeoutMs: number; hasExited: () => boolean; intervalMs?: number },
): Promise<HealthPoll> {
  const deadline = Date.now() + options.timeoutMs;
  let lastProblem = "no attempt yet";
  while (Date.now() < deadline) {
    if (options.hasExited()) return { status: "exited" };
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      const body: unknown = await res.json().catch(() => null);
      if (res.status === 200 && isOk(body)) return { status: "healthy" };
      lastProblem = `HTTP ${res.status} ${JSON.stringify(body)}`;
    } catch (err) {
      lastProblem = err instanceof Error ? err.message : String(err);
    }
    await sleep(options.intervalMs ?? 500);
  }
  return { status: "timed-out", lastProblem };
}

function isOk(body: unknown): boolean {
  return typeof body === "object" && body !== null && (body as { ok?: unknown }).ok === true;
}

/** Signals the whole process group of a detached child (SIGTERM unless told), escalating to SIGKILL after `graceMs`. */
export async function stopProcessGroup(pid: number, graceMs = 5_000, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (pid <= 0 || !signalGroup(pid, signal)) return;
  if (await groupGone(pid, graceMs)) return;
  signalGroup(pid, "SIGKILL");
  // Orphans can linger as zombies where PID 1 does not reap, so give up quietly after a while.
  await groupGone(pid, 5_000);
}

/** Synchronous last resort for process exit handlers, where nothing can be awaited. */
export function killProcessGroupNow(pid: number): void {
  if (pid > 0) signalGroup(pid, "SIGKILL");
}

/** Sends `signal` to the group; false when the group no longer exists. */
function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw err;
  }
}

async function groupGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!signalGroup(pid, 0)) return true;
    await sleep(100);
  }
  return !signalGroup(pid, 0);
}
