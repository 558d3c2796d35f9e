/**
 * A real Mailman 3 core for a test file: its master and runners as the list
 * user (when the tests run as root), with a mailman.cfg of its own in a
 * temporary folder: the SQLite database there, the REST API on 127.0.0.1 on a
 * free port with its own admin password, and every message it sends delivered
 * to an SMTP sink on loopback, never to a real mail server. Only tests import this.
 *
 *   const mailman = await startMailman();             // in beforeAll
 *   await fetch(`${mailman.restUrl}/domains`, { headers: { authorization: mailman.authorization }, … });
 *   await mailman.stop();                              // in afterAll
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { startSmtpSink, type SmtpSink } from "@/e2e/support/smtp-sink";
import { newPassword } from "./database-server";
import { locatePrograms, MAILMAN } from "./requirements";
import { asUser, makeServerDir, serviceUser, startServerProcess, type ServerProcess, writePrivateFile } from "./service-process";

const HOST = "127.0.0.1";
const REST_USER = "rightsdesk";
/** The REST API version the harness speaks (Mailman 3.1+). */
const API_VERSION = "3.1";

export type MailmanServer = Omit<ServerProcess, "port"> & {
  /** How long the start took, from nothing to an answering REST API, in milliseconds. */
  startedInMs: number;
  /** Mailman's own name for its version, e.g. "GNU Mailman 3.3.8 (Tom Sawyer)". */
  version: string;
  /** The REST API's root, e.g. http://127.0.0.1:40123/3.1 (no trailing slash). */
  restUrl: string;
  restUser: string;
  restPassword: string;
  /** The Authorization header for the REST API's admin (HTTP Basic). */
  authorization: string;
  /** Where Mailman delivers what it sends; `inboxDir` holds each message when the harness started the sink itself. */
  smtp: { host: string; port: number; inboxDir?: string };
  /** The temporary folder (configuration, database, queues, logs), deleted by `stop`. */
  dir: string;
  /** The master's output and Mailman's own log. */
  logPaths: string[];
};

export type MailmanOptions = {
  /** An SMTP server on loopback to deliver to (the end-to-end suite's sink, say); by default the harness starts its own. */
  smtp?: { host: string; port: number };
};

export async function startMailman(options: MailmanOptions = {}): Promise<MailmanServer> {
  const began = Date.now();
  const programs = locatePrograms(MAILMAN, existsSync);
  if (!programs) throw new Error("Mailman 3 is not installed: `npm test` installs it (Debian's mailman3 package) before the tests run.");
  const user = serviceUser(MAILMAN.user);
  const folder = makeServerDir("rightsdesk-mailman-", user, "SIGTERM");
  const dir = folder.path;
  const varDir = path.join(dir, "var");
  const configPath = path.join(dir, "mailman.cfg");
  const logPath = path.join(dir, "master.log");
  const logPaths = [logPath, path.join(varDir, "logs", "mailman.log")];
  const restPassword = newPassword();
  const authorization = `Basic ${Buffer.from(`${REST_USER}:${restPassword}`).toString("base64")}`;

  let sink: SmtpSink | undefined;
  try {
    if (!options.smtp) sink = await startSmtpSink(path.join(dir, "sent"));
  } catch (err) {
    folder.remove();
    throw err;
  }
  const smtp = options.smtp ?? { host: HOST, port: sink?.port ?? 0 };

  let version = "GNU Mailman";
  let running: ServerProcess;
  try {
    running = await startServerProcess({
      what: "Mailman",
      dir: folder,
      logPath,
      logPaths,
        commandLine: (port) => {
        writePrivateFile(configPath, mailmanConfig({ varDir, binDir: path.dirname(programs.master), restPort: port, restPassword, smtp }), user);
        return asUser(user, [programs.master, "--config", configPath]);
      },
      env: { ...process.env, LANG: "C.UTF-8", LC_ALL: "C.UTF-8" },
      ready: async (port) => {
        const res = await fetch(`http://${HOST}:${port}/${API_VERSION}/system/versions`, {
          headers: { authorization },
          signal: AbortSignal.timeout(5_000),
        });
        if (res.status !== 200) throw new Error(`the REST API answered ${res.status}`);
        const body = (await res.json()) as { mailman_version?: string };
        version = body.mailman_version ?? version;
      },
      // A first start creates the database and imports a good deal of Python on a busy machine.
      readyTimeoutMs: 120_000,
    });
  } catch (err) {
    await sink?.close();
    throw err;
  }

  return {
    ...running,
    async stop() {
      await running.stop();
      await sink?.close();
    },
    startedInMs: Date.now() - began,
    version,
    restUrl: `http://${HOST}:${running.port}/${API_VERSION}`,
    restUser: REST_USER,
    restPassword,
    authorization,
    smtp: { ...smtp, inboxDir: sink?.inboxDir },
    dir,
    logPaths,
  };
}

/**
 * The runners not started. The ones left are the REST API and the two that
 * turn Mailman's own notices into mail and hand it to the SMTP server (rest,
 * virgin, out). These handle mail coming in (none does: there is no LMTP
 * listener), archives, digests, news, retries and housekeeping; each is a
 * Python process that would only slow the start. (Mailman 3.3.8's master
 * --runners option fails on any value, so they are switched off here.)
 */
const IDLE_RUNNERS = ["archive", "bounces", "command", "digest", "in", "lmtp", "nntp", "pipeline", "retry", "task"];

function mailmanConfig(settings: { varDir: string; binDir: string; restPort: number; restPassword: string; smtp: { host: string; port: number } }): string {
  return [
    "# Written by the Rightsdesk test harness for one throwaway Mailman.",
    "[mailman]",
    "site_owner: postmaster@example.org",
    "layout: rightsdesk",
    "",
    "[paths.rightsdesk]",
    `var_dir: ${settings.varDir}`,
    // Where the master finds the runner program (by default beside the command that started it, which Debian's is not).
    `bin_dir: ${settings.binDir}`,
    "",
    "[database]",
    "class: mailman.database.sqlite.SQLiteDatabase",
    "url: sqlite:///$DATA_DIR/mailman.db",
    "",
    "[webservice]",
    `hostname: ${HOST}`,
    `port: ${settings.restPort}`,
    `admin_user: ${REST_USER}`,
    `admin_pass: ${settings.restPassword}`,
    "workers: 1",
    "show_tracebacks: no",
    "",
    "[mta]",
    // No MTA to tell about new lists (Postfix's would run postmap), and outgoing mail goes to the sink.
    "incoming: mailman.mta.null.NullMTA",
    "outgoing: mailman.mta.deliver.deliver",
    `smtp_host: ${settings.smtp.host}`,
    `smtp_port: ${settings.smtp.port}`,
    "",
    ...IDLE_RUNNERS.flatMap((runner) => [`[runner.${runner}]`, "start: no", ""]),
  ].join("\n");
}
