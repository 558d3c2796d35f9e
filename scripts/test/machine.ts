/**
 * The real machine for `npm test`'s preparation: files, apt-get and
 * Playwright's installer. Installing a Debian package that carries a service
 * (MariaDB, Mailman) would start it through invoke-rc.d; here nothing starts
 * while packages install, and the services of what was installed are stopped
 * and disabled afterwards, since the tests start servers of their own.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SERVER_REQUIREMENTS } from "../../lib/testing/servers/requirements";
import type { Machine } from "./preparation";

/** Debian's hook that invoke-rc.d asks before starting a service; exit 101 means "not now". */
const POLICY_RC_D = "/usr/sbin/policy-rc.d";
const SAVED_POLICY_RC_D = `${POLICY_RC_D}.rightsdesk-saved`;
const DENY_ALL_POLICY = "#!/bin/sh\n# Written by Rightsdesk's npm test while it installs packages: no service may start.\nexit 101\n";

/** A slow mirror can take minutes for MariaDB and Mailman's hundred-odd packages. */
const APT_TIMEOUT_MS = 20 * 60_000;
/** Playwright's Chromium is about 170 MB. */
const PLAYWRIGHT_TIMEOUT_MS = 10 * 60_000;
/** Another apt-get (another checkout's npm test, say) may hold the lock for a while. */
const DPKG_LOCK_TIMEOUT_S = 600;

export function realMachine(projectRoot: string): Machine {
  const log = (line: string): void => console.log(`[prepare] ${line}`);
  return {
    chromiumPath: process.env.CHROMIUM_PATH || undefined,
    exists: existsSync,
    isRoot: process.getuid?.() === 0,
    userExists: (name) => spawnSync("getent", ["passwd", name], { stdio: "ignore" }).status === 0,
    canInstallDebianPackages: process.getuid?.() === 0 && existsSync("/etc/debian_version") && existsSync("/usr/bin/apt-get"),
    async aptInstall(packages) {
      const started = Date.now();
      const args = ["-q", "-y", "-o", `DPkg::Lock::Timeout=${DPKG_LOCK_TIMEOUT_S}`, "install", "--no-install-recommends", ...packages];
      const result = await withServicesKeptDown((interrupted) => run("apt-get", args, APT_TIMEOUT_MS, interrupted));
      stopServicesOf(packages, log);
      if (result.ok) log(`Installed ${packages.join(" ")} in ${Math.round((Date.now() - started) / 1000)} s.`);
      else log(`apt-get install ${packages.join(" ")} failed (${result.reason}):\n${lastLines(result.output, 30)}`);
      return result.ok;
    },
    async aptUpdate() {
      const result = await run("apt-get", ["-q", "-o", `DPkg::Lock::Timeout=${DPKG_LOCK_TIMEOUT_S}`, "update"], APT_TIMEOUT_MS);
      if (!result.ok) log(`apt-get update failed (${result.reason}):\n${lastLines(result.output, 15)}`);
      return result.ok;
    },
    async playwrightInstall() {
      log("Getting Playwright's own Chromium (playwright install chromium)…");
      const result = await run(path.join(projectRoot, "node_modules", ".bin", "playwright"), ["install", "chromium"], PLAYWRIGHT_TIMEOUT_MS);
      if (!result.ok) log(`Playwright's browser could not be installed (${result.reason}): ${lastLines(result.output, 3)}`);
      return result.ok;
    },
    log,
  };
}

type RunResult = { ok: boolean; reason: string; output: string };

/** Runs a command non-interactively and collects its output; stopped after `timeoutMs`, or when `interrupted` aborts. */
function run(command: string, args: string[], timeoutMs: number, interrupted?: AbortSignal): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      signal: interrupted,
    });
    let output = "";
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
    child.once("error", (err) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: `could not start: ${err.message}`, output });
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      const reason = signal ? `killed by ${signal}` : `exit code ${String(code)}`;
      resolve({ ok: code === 0, reason, output });
    });
  });
}

/**
 * Runs `work` with a policy-rc.d that refuses every service start, then puts
 * back whatever was there before. Interrupted meanwhile, it stops the work
 * first (`interrupted` aborts), puts the policy back, then ends as asked, so
 * nothing installs after the policy is gone.
 */
async function withServicesKeptDown<T>(work: (interrupted: AbortSignal) => Promise<T>): Promise<T> {
  // A policy saved by a run that was killed outright is the machine's own: put it back first.
  if (existsSync(SAVED_POLICY_RC_D)) renameSync(SAVED_POLICY_RC_D, POLICY_RC_D);
  const hadPolicy = existsSync(POLICY_RC_D);
  if (hadPolicy) renameSync(POLICY_RC_D, SAVED_POLICY_RC_D);
  writeFileSync(POLICY_RC_D, DENY_ALL_POLICY, { mode: 0o755 });

  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    received ??= signal;
    controller.abort();
  };
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  for (const signal of signals) process.on(signal, onSignal);
  try {
    return await work(controller.signal);
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
    rmSync(POLICY_RC_D, { force: true });
    if (hadPolicy) renameSync(SAVED_POLICY_RC_D, POLICY_RC_D);
    if (received) process.kill(process.pid, received);
  }
}

/** Stops and disables the system service of each package just installed, so none is left running or starts at boot. */
function stopServicesOf(packages: string[], log: (line: string) => void): void {
  const systemd = existsSync("/run/systemd/system");
  for (const requirement of SERVER_REQUIREMENTS) {
    if (!packages.includes(requirement.debianPackage)) continue;
    const service = requirement.systemService;
    if (systemd) {
      spawnSync("systemctl", ["disable", "--now", "--quiet", service], { stdio: "ignore" });
    } else {
      if (spawnSync("service", [service, "status"], { stdio: "ignore" }).status === 0) {
        log(`The ${service} service was running after the install; stopping it.`);
        spawnSync("service", [service, "stop"], { stdio: "ignore" });
      }
      spawnSync("update-rc.d", [service, "disable"], { stdio: "ignore" });
    }
  }
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split("\n").slice(-count).join("\n");
}
