/**
 * The production server the bench loads: scripts/serve.mjs (what `npm start`
 * runs) in its own process group on a free port of 127.0.0.1, with the bench
 * routes on, the per-address and per-IP limits out of reach (every request
 * comes from one address), and mail only queued: no worker sends, so nothing
 * leaves the machine and the server's time is all the bench's.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parseSettings, type Settings } from "@/lib/settings/settings";
import { freePort, HEALTH_PATH, pollHealth, stopProcessGroup } from "../lib/processes";
import { serverArguments } from "../lib/server-command";

/** The organisation's time zone in the bench: the one the migration fills the reports' tables in. */
export const BENCH_TIME_ZONE = "UTC";

export type BenchServer = {
  pid: number;
  baseUrl: string;
  /** The settings the server runs with, for a command run beside it as an admin would run it (the import figure's `npm run import`). */
  env: Record<string, string>;
  stop(): Promise<void>;
};

const RAISED_LIMITS = {
  LIMIT_LINKS_PER_ADDRESS_HOUR: "1000000",
  LIMIT_LINKS_PER_ADDRESS_DAY: "1000000",
  LIMIT_LINK_REQUESTS_PER_IP_HOUR: "1000000",
  LIMIT_DRAFTS_PER_IP_HOUR: "1000000",
  LIMIT_LINK_FAILURES_PER_IP_15_MIN: "1000000",
  LIMIT_MAIL_PER_ADDRESS_DAY: "1000000",
};

/** The server's environment and the settings the app reads from it (checked once, here). */
function benchEnvironment(input: { port: number; databasePath: string; dir: string }): { env: Record<string, string>; settings: Settings } {
  const baseUrl = `http://127.0.0.1:${input.port}`;
  const env = {
    PORT: String(input.port),
    LISTEN_HOST: "127.0.0.1",
    APP_URL: baseUrl,
    NEXTAUTH_URL: baseUrl,
    DATABASE_PATH: input.databasePath,
    MAIL_DIR: path.join(input.dir, "mail"),
    AUTH_SECRET: randomBytes(32).toString("hex"),
    SIGNING_KEY_FILE: path.join(input.dir, "signing-key.pem"),
    ANCHOR_FILE: path.join(input.dir, "anchors.jsonl"),
    ORG_NAME: "Bench Trust",
    REGIME: "gdpr",
    TIME_ZONE: BENCH_TIME_ZONE,
    MAIL_WORKER: "separate",
    DIGEST_HOUR: "off",
    BENCH_ROUTES: "1",
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    ...RAISED_LIMITS,
  };
  const checked = parseSettings(env, process.cwd());
  if (!checked.ok) throw new Error(checked.message);
  return { env, settings: checked.settings };
}

export async function startBenchServer(input: { databasePath: string; dir: string }): Promise<BenchServer> {
  const port = await freePort();
  const { env, settings } = benchEnvironment({ port, ...input });
  const logPath = path.join(input.dir, "server.log");
  const log = fs.openSync(logPath, "a");
  // Started exactly as `npm start` starts it, heap limit included.
  const child = spawn(process.execPath, serverArguments(process.cwd(), settings), {
    env: { ...process.env, ...env },
    detached: true,
    stdio: ["ignore", log, log],
  });
  fs.closeSync(log);
  const pid = child.pid ?? -1;
  // SIGTERM to the server's process group, SIGKILL if it is still there after 5 seconds.
  const server = { pid, baseUrl: `http://127.0.0.1:${port}`, env, stop: () => stopProcessGroup(pid) };
  const health = await pollHealth(`${server.baseUrl}${HEALTH_PATH}`, {
    timeoutMs: 60_000,
    intervalMs: 250,
    hasExited: () => child.exitCode !== null || child.signalCode !== null,
  });
  if (health.status === "healthy") return server;
  await server.stop();
  throw new Error(
    health.status === "exited"
      ? `The server stopped before it answered (log: ${logPath}).`
      : `The server did not answer ${HEALTH_PATH} within a minute (last: ${health.lastProblem}; log: ${logPath}).`,
  );
}
