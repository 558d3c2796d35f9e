import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  type AppSpec,
  launchApp,
  launchTsx,
  type LaunchedApp,
  runTsxScript,
  stopProcessGroup,
  waitUntilHealthy,
} from "./app-process";
import { harnessEnv } from "./env";
import { openDatabase, type Db } from "../../db/connection";
import { addStaffMember, removeStaffMember } from "../../lib/staff/staff-members";

/** The running server as recorded on disk, shared by the runner and every worker. */
export type ServerState = AppSpec & { pid: number };

export type StaffRole = "admin" | "reviewer" | "auditor";

const STATE_FILE = "server.json";

export function writeServerState(tmpDir: string, state: ServerState): void {
  const target = path.join(tmpDir, STATE_FILE);
  const temp = `${target}.${process.pid}.tmp`;
  // It holds AUTH_SECRET, so only this user may read it.
  writeFileSync(temp, JSON.stringify(state, null, 2), { mode: 0o600 });
  renameSync(temp, target);
}

export function readServerState(tmpDir: string = harnessEnv("E2E_TMP_DIR")): ServerState {
  return JSON.parse(readFileSync(path.join(tmpDir, STATE_FILE), "utf8")) as ServerState;
}

/** Starts the app from a spec, records its pid, and waits for /api/health; the one path used by setup and restarts. */
export async function startServer(tmpDir: string, spec: AppSpec, timeoutMs: number): Promise<LaunchedApp> {
  const app = launchApp(spec);
  writeServerState(tmpDir, { ...spec, pid: app.pid });
  await waitUntilHealthy(spec, app, timeoutMs);
  return app;
}

/**
 * Stops the app server and starts it again with the same environment (same port, database and secret),
 * changed only by `env`: a string sets a variable, null removes it; the change stays for later restarts.
 * With `crash`, the server is killed at once (SIGKILL) instead of being asked to stop.
 * Every worker shares the one server, so only call this from tests that run alone (e.g. a serial project or file).
 */
export async function restartServer(options: { timeoutMs?: number; env?: Record<string, string | null>; crash?: boolean } = {}): Promise<void> {
  const tmpDir = harnessEnv("E2E_TMP_DIR");
  const { pid, ...spec } = readServerState(tmpDir);
  const env = { ...spec.env };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === null) delete env[name];
    else env[name] = value;
  }
  // `crash`: killed outright (SIGKILL), as a power cut or the out-of-memory killer would, with no chance to finish anything.
  await stopProcessGroup(pid, 5_000, options.crash ? "SIGKILL" : "SIGTERM");
  // Changed settings stay in the recorded state, so a later restart keeps them.
  await startServer(tmpDir, { ...spec, env }, options.timeoutMs ?? 50_000);
}

/** Where startMailWorker's workers write their output; each one started in a run appends to it. */
export function mailWorkerLogPath(): string {
  return path.join(harnessEnv("E2E_TMP_DIR"), "mail-worker.log");
}

/**
 * Starts `npm run mail:worker`'s script with the app's settings, next to the
 * running server. Returns a stop function (SIGTERM to its process group).
 * Its output goes to mailWorkerLogPath().
 */
export function startMailWorker(): { stop(): Promise<void>; logPath: string } {
  const tmpDir = harnessEnv("E2E_TMP_DIR");
  const logPath = mailWorkerLogPath();
  const worker = launchTsx({ ...readServerState(tmpDir), logPath }, ["scripts/mail-worker.ts"]);
  return { stop: () => stopProcessGroup(worker.pid), logPath };
}

/**
 * Adds a staff member through the app's own CLI (`npm run staff -- add`) against the e2e database: global setup's
 * staff, and tests about the command itself. Tests that only need someone on the staff list use addStaff, which
 * does the same without starting a process.
 */
export async function addStaffByCommand(email: string, role: StaffRole, spec: AppSpec = readServerState()): Promise<void> {
  await runTsxScript(spec, ["scripts/staff.ts", "add", email, "--role", role]);
}

/** Removes a staff member through the app's own CLI (`npm run staff -- remove`) against the e2e database. */
export async function removeStaffByCommand(email: string, spec: AppSpec = readServerState()): Promise<void> {
  await runTsxScript(spec, ["scripts/staff.ts", "remove", email]);
}

/**
 * Adds a staff member with the function the CLI calls (lib/staff/staff-members.ts), in this process: each CLI
 * start took one and a half seconds of a core, on a suite that adds dozens of members.
 */
export async function addStaff(email: string, role: StaffRole): Promise<void> {
  withAppDatabase((db) => addStaffMember(db, { email, role, now: new Date() }));
}

/** Removes a staff member (ending their sessions) with the function the CLI calls, in this process. */
export async function removeStaff(email: string): Promise<void> {
  withAppDatabase((db) => removeStaffMember(db, { email }));
}

function withAppDatabase(change: (db: Db) => { ok: boolean; message: string }): void {
  const db = openDatabase(harnessEnv("E2E_DB_PATH"));
  try {
    const result = change(db);
    if (!result.ok) throw new Error(result.message);
  } finally {
    db.$client.close();
  }
}

/** The whole server log so far, e.g. to assert that personal data is not being logged. */
export function serverLog(): Promise<string> {
  return readFile(harnessEnv("E2E_SERVER_LOG"), "utf8");
}
