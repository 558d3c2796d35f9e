import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type AppSpec, killProcessGroupNow, projectRoot, stopProcessGroup } from "./app-process";
import { tailLog, type LogTail } from "./log-tail";
import { GENERAL_SUITE_LIMITS } from "./limits";
import { freePort } from "./ports";
import { assertDatabaseInTmp } from "./safety";
import { addStaffByCommand, readServerState, startServer } from "./server";
import { startSmtpControl, type SmtpControl } from "./smtp-control";
import { startSmtpSink, type SmtpSink } from "./smtp-sink";

/** The first start may run `next build`, which takes minutes on a small machine. */
const FIRST_START_TIMEOUT_MS = 8 * 60_000;

const FATAL_SIGNALS = ["SIGTERM", "SIGHUP"] as const;

export const SEED_STAFF = [
  { email: "staff@example.org", role: "reviewer" },
  { email: "admin@example.org", role: "admin" },
] as const;

/**
 * Boots a throwaway world for the suite: temp dir, SMTP sink, seeded staff and the app itself.
 * Returns the teardown, which Playwright runs after the last test.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), "rightsdesk-e2e-"));
  const databasePath = path.join(tmpDir, "rightsdesk.db");
  const inboxDir = path.join(tmpDir, "inbox");
  const mailDir = path.join(tmpDir, "mail");
  const logPath = path.join(tmpDir, "server.log");
  const keep = Boolean(process.env.E2E_KEEP);

  let sink: SmtpSink | undefined;
  let control: SmtpControl | undefined;
  let tail: LogTail | undefined;
  let finished = false;

  const currentPid = (): number => {
    try {
      return readServerState(tmpDir).pid;
    } catch {
      return -1;
    }
  };
  // If the runner dies abruptly the detached server would otherwise outlive it.
  const onExit = (): void => {
    killProcessGroupNow(currentPid());
    if (!keep) rmSync(tmpDir, { recursive: true, force: true });
  };
  // A plain SIGTERM/SIGHUP skips "exit" handlers, so clean up and then re-raise the signal as if we were not here.
  const onSignal = (signal: NodeJS.Signals): void => {
    removeHandlers();
    onExit();
    process.kill(process.pid, signal);
  };
  const removeHandlers = (): void => {
    process.off("exit", onExit);
    for (const signal of FATAL_SIGNALS) process.off(signal, onSignal);
  };
  process.once("exit", onExit);
  for (const signal of FATAL_SIGNALS) process.once(signal, onSignal);

  const teardown = async (): Promise<void> => {
    if (finished) return;
    finished = true;
    removeHandlers();
    await stopProcessGroup(currentPid());
    tail?.stop();
    await control?.close();
    await sink?.close();
    if (keep) console.log(`[e2e] E2E_KEEP is set; kept ${tmpDir}`);
    else await rm(tmpDir, { recursive: true, force: true });
  };

  try {
    assertDatabaseInTmp(databasePath);
    await mkdir(mailDir, { recursive: true });
    sink = await startSmtpSink(inboxDir);
    control = await startSmtpControl(sink);
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const spec: AppSpec = {
      projectRoot: projectRoot(),
      logPath,
      baseUrl,
      env: {
        PORT: String(port),
        LISTEN_HOST: "127.0.0.1",
        APP_URL: baseUrl,
        DATABASE_PATH: databasePath,
        SMTP_URL: `smtp://${sink.host}:${sink.port}`,
        MAIL_DIR: mailDir,
        MAIL_FROM: "Harbour Trust <privacy@harbour-trust.example.org>",
        AUTH_SECRET: randomBytes(32).toString("hex"),
        // The organisation's signing key and the log's anchors, made on first start beside the database.
        SIGNING_KEY_FILE: path.join(path.dirname(databasePath), "signing-key.pem"),
        ANCHOR_FILE: path.join(path.dirname(databasePath), "anchors.jsonl"),
        ORG_NAME: "Harbour Trust",
        REGIME: "gdpr",
        // Pinned so dates in pages and mails do not depend on the machine running the suite.
        TIME_ZONE: "UTC",
        ORG_CONTACT_EMAIL: "privacy@harbour-trust.example.org",
        ORG_LOGO_URL: "https://harbour-trust.example.org/logo.png",
        // Quick retries, so a test of an outage waits seconds rather than minutes.
        MAIL_RETRY_SECONDS: "1",
        MAIL_RETRY_MAX_SECONDS: "2",
        MAIL_MAX_ATTEMPTS: "3",
        MAIL_RATE: "20",
        // Only the digest test turns it on (it restarts the app with DIGEST_HOUR=0).
        DIGEST_HOUR: "off",
        // As behind one reverse proxy: tests that count per-IP limits name their own network in X-Forwarded-For.
        TRUST_PROXY: "1",
        // The outside-systems test's receiver listens on 127.0.0.1; no other internal host may be called.
        WEBHOOK_ALLOW_PRIVATE_HOSTS: "127.0.0.1",
        // The agents test's callback receiver listens on 127.0.0.2: an agent's callback may never reach 127.0.0.1, allowed above
        // for the organisation's own systems only.
        AGENT_CALLBACK_ALLOW_PRIVATE_HOSTS: "127.0.0.2",
        ...GENERAL_SUITE_LIMITS,
      },
    };

    for (const { email, role } of SEED_STAFF) await addStaffByCommand(email, role, spec);

    if (process.env.E2E_VERBOSE) tail = tailLog(logPath, "[app] ");
    console.log(`[e2e] starting the app on ${baseUrl} (log: ${logPath}); the first start may build for a few minutes`);
    await startServer(tmpDir, spec, FIRST_START_TIMEOUT_MS);

    // Workers are forked after global setup, so they inherit these.
    process.env.E2E_BASE_URL = baseUrl;
    process.env.E2E_INBOX_DIR = inboxDir;
    process.env.E2E_DB_PATH = databasePath;
    process.env.E2E_TMP_DIR = tmpDir;
    process.env.E2E_SERVER_LOG = logPath;
    process.env.E2E_SMTP_CONTROL_URL = control.url;
    return teardown;
  } catch (err) {
    await teardown();
    throw err;
  }
}
