/**
 * Whether some other process has the database open: the web server, a mail
 * worker, an import. Restoring underneath one would have it write into a
 * file that is about to be replaced, or keep serving the old one.
 *
 * On Linux every process's open files are listed under /proc/PID/fd, which
 * finds the database however the process was started. Elsewhere (or for
 * processes of another user, whose files cannot be read) the portal's own
 * health endpoint on its port is asked as well.
 */
import fs from "node:fs";
import path from "node:path";

/** Process ids, other than this one, holding the database, its WAL or its shared-memory file open. */
export function processesUsing(databasePath: string): number[] {
  let procs: string[];
  try {
    procs = fs.readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const absolute = path.resolve(databasePath);
  let real = absolute;
  try {
    real = fs.realpathSync(absolute);
  } catch {
    // A database that does not exist yet is held by nobody.
  }
  const targets = new Set([absolute, real].flatMap((f) => [f, `${f}-wal`, `${f}-shm`]));
  const found: number[] = [];
  for (const pid of procs) {
    if (Number(pid) === process.pid) continue;
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (targets.has(target)) {
        found.push(Number(pid));
        break;
      }
    }
  }
  return found;
}

/** Whether a Rightsdesk server answers its health check at this address. */
export async function portalAnswers(url: string): Promise<boolean> {
  try {
    const res = await fetch(new URL("/api/health", url), { signal: AbortSignal.timeout(1500) });
    const body = (await res.json().catch(() => null)) as { ok?: unknown } | null;
    return res.ok && body?.ok === true;
  } catch {
    return false;
  }
}
