/**
 * The production server the bench loads: scripts/serve.mjs (what `npm start`
 * runs) in its own process group on a free port of 127.0.0.1, with the bench
 * routes on, the per-address and per-IP limits out of reach (every request
 * comes from one address), and mail only queued: no worker sends, so nothing
 * leaves the machine and the server's time is all the bench's.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net, { type AddressInfo } from "node:net";
import path from "node:path";
import { parseSettings } from "@/lib/settings/settings";
import { serverArguments } from "../lib/server-command";

export type BenchServer = { pid: number; baseUrl: string; stop(): Promise<void> };

const RAISED_LIMITS = {
  LIMIT_LINKS_PER_ADDRESS_HOUR: "1000000",
  LIMIT_LINKS_PER_ADDRESS_DAY: "1000000",
  LIMIT_LINK_REQUESTS_PER_IP_HOUR: "1000000",
  LIMIT_DRAFTS_PER_IP_HOUR: "1000000",
  LIMIT_LINK_FAILURES_PER_IP_15_MIN: "1000000",
  LIMIT_MAIL_PER_ADDRESS_DAY: "1000000",
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export function benchEnvironment(input: { port: number; databasePath: string; dir: string }): Record<string, string> {
  const baseUrl = `http://127.0.0.1:${input.port}`;
  const env = {
    PORT: String(input.port),
    APP_URL: baseUrl,
    NEXTAUTH_URL: baseUrl,
    DATABASE_PATH: input.databasePath,
    MAIL_DIR: path.join(input.dir, "mail"),
    AUTH_SECRET: randomBytes(32).toString("hex"),
    ORG_NAME: "Bench Trust",
    REGIME: "gdpr",
    TIME_ZONE: "UTC",
    MAIL_WORKER: "separate",
    DIGEST_HOUR: "off",
    BENCH_ROUTES: "1",
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    ...RAISED_LIMITS,
  };
  const checked = parseSettings(env, process.cwd());
  if (!checked.ok) throw new Error(checked.message);
  return env;
}

async function waitUntilHealthy(baseUrl: string, child: ChildProcess, logPath: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The server stopped before it answered (log: ${logPath}).`);
    const ok = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The server did not answer /api/health within a minute (log: ${logPath}).`);
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the server's process group, SIGKILL if it is still there after 5 seconds. */
export async function stopGroup(pid: number): Promise<void> {
  if (!groupAlive(pid)) return;
  process.kill(-pid, "SIGTERM");
  for (let waited = 0; waited < 5000 && groupAlive(pid); waited += 100) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive(pid)) process.kill(-pid, "SIGKILL");
}

export async function startBenchServer(input: { databasePath: string; dir: string }): Promise<BenchServer> {
  const port = await freePort();
  const env = benchEnvironment({ port, ...input });
  const logPath = path.join(input.dir, "server.log");
  const log = fs.openSync(logPath, "a");
  const checked = parseSettings(env, process.cwd());
  if (!checked.ok) throw new Error(checked.message);
  // Started exactly as `npm start` starts it, heap limit included.
  const child = spawn(process.execPath, serverArguments(process.cwd(), checked.settings), {
    env: { ...process.env, ...env },
    detached: true,
    stdio: ["ignore", log, log],
  });
  fs.closeSync(log);
  const pid = child.pid ?? -1;
  const server = { pid, baseUrl: `http://127.0.0.1:${port}`, stop: () => stopGroup(pid) };
  try {
    await waitUntilHealthy(server.baseUrl, child, logPath);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}
