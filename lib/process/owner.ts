/**
 * Which process holds something (a claim on mail, an import's scratch
 * folder), so that one left by a process that was killed can be told apart
 * from one a running process still holds.
 */
import { randomUUID } from "node:crypto";
import os from "node:os";

/** Whether a process is alive. */
export type IsAlive = (pid: number) => boolean;

export const processIsAlive: IsAlive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** A claim's owner: this machine, this process, and a random part that keeps two claims of one process apart. */
export function ownerToken(host = os.hostname(), pid = process.pid): string {
  return `${host}/${pid}/${randomUUID()}`;
}

const OWNER = /^([^/]+)\/(\d+)\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Whether `token` names a process on this machine that is no longer running.
 * A process elsewhere, this process, or a token of another shape (written
 * before owners were named) cannot be judged from here: not gone.
 */
export function ownerIsGone(token: string, input: { host?: string; isAlive?: IsAlive } = {}): boolean {
  const match = OWNER.exec(token);
  if (!match || match[1] !== (input.host ?? os.hostname())) return false;
  const pid = Number(match[2]);
  return pid !== process.pid && !(input.isAlive ?? processIsAlive)(pid);
}
