/**
 * The background loop: on each beat it runs the named jobs in order (the
 * outbox first, then the failed-mail alert, the daily digest, the draft
 * purge, and whatever else it is given: outside systems' webhooks, the
 * chores after erasures). It wakes when the next message falls due (at
 * least every `intervalMs`), and at once when kicked after something was
 * queued. The web server runs one and `npm run mail:worker` runs one alone,
 * both started by ./start.ts. Any number may run against one database: see
 * lib/mail/deliver.ts.
 */
import type { Db } from "@/db/connection";
import { ownerToken } from "@/lib/process/owner";
import type { Settings } from "@/lib/settings/settings";
import { MAIL_POLICY, nextDueAt, releaseClaims, releaseClaimsOfGoneWorkers, systemClock, type Clock, type DeliveryGate, type MailPolicy, type PersonalLinksFor } from "@/lib/mail/deliver";
import { preferencesUrl, signedInPreferencesUrl } from "@/lib/mail/preference-link";
import type { MailBrand } from "@/lib/mail/render";
import type { MailTransport } from "@/lib/mail/transport";
import { unsubscribeUrl } from "@/lib/mail/unsubscribe-link";
import { dailyDigestJob } from "./definitions/daily-digest";
import { failedMailAlertJob } from "./definitions/failed-mail-alert";
import { outboxJob } from "./definitions/outbox";
import { teamNoticesJob } from "./definitions/team-notices";
import { purgeDraftsJob } from "./definitions/purge-drafts";
import type { Job } from "./definitions/job";

export type Worker = { kick(): void; stop(): Promise<void> };

export type WorkerConfig = {
  policy: MailPolicy;
  brand: MailBrand;
  orgName: string;
  timeZone: string;
  /** Null: no digest. */
  digestHour: number | null;
  /** Signs each message's one-click unsubscribe and preference links; null: messages carry none. */
  unsubscribeSecret: string | null;
};

/** The worker's configuration, from the settings. */
export function workerConfig(settings: Settings): WorkerConfig {
  return {
    policy: {
      ...MAIL_POLICY,
      maxAttempts: settings.mailMaxAttempts,
      firstRetryMs: settings.mailRetrySeconds * 1000,
      maxRetryMs: settings.mailRetryMaxSeconds * 1000,
      ratePerSecond: settings.mailRatePerSecond,
    },
    brand: { contactEmail: settings.orgContactEmail, logoUrl: settings.orgLogoUrl, appUrl: settings.appUrl, complaintAuthority: settings.complaintAuthority },
    orgName: settings.orgName,
    timeZone: settings.timeZone,
    digestHour: settings.digestHour,
    unsubscribeSecret: settings.authSecret ?? null,
  };
}

/**
 * Each message's own links: the header's one-click address for the list it
 * is about (every list for a message about none), and the footer's
 * preference page and "unsubscribe from all lists". The unsubscribe links
 * carry the message's language, which a mail program posting them does not send.
 */
export function personalLinksFor(config: WorkerConfig): PersonalLinksFor | undefined {
  const secret = config.unsubscribeSecret;
  const appUrl = config.brand.appUrl;
  if (!secret) return undefined;
  const kept = signedInPreferencesUrl(appUrl);
  return ({ to, list, language }, now) => ({
    oneClick: unsubscribeUrl(to, { appUrl, secret, now, list, language }),
    footer: { preferencesUrl: preferencesUrl(to, { appUrl, secret, now }), unsubscribeAllUrl: unsubscribeUrl(to, { appUrl, secret, now, language }) },
    keptFooter: { preferencesUrl: kept, unsubscribeAllUrl: kept },
  });
}

const SHORTEST_WAIT_MS = 200;

export function startWorker(options: {
  db: Db;
  transport: MailTransport;
  config: WorkerConfig;
  intervalMs?: number;
  clock?: Clock;
  log?: (line: string) => void;
  /** Asked before each message is sent; see DeliveryGate. */
  gate?: DeliveryGate;
  /** Other jobs run on the same beat, after the mail (outside systems' webhooks, tidying erased addresses). */
  jobs?: readonly Job[];
}): Worker {
  const { db, transport, config } = options;
  const log = options.log ?? ((line: string) => console.error(line));
  const clock = options.clock ?? systemClock;
  const intervalMs = options.intervalMs ?? 5_000;
  // Names this machine and process, so a worker started after this one was killed can give its claims back.
  const token = ownerToken();
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  const jobs: Job[] = [
    outboxJob({
      transport,
      brand: config.brand,
      personalLinks: personalLinksFor(config),
      policy: config.policy,
      clock,
      token,
      stopping: () => stopped,
      log,
      gate: options.gate,
    }),
    teamNoticesJob({ appUrl: config.brand.appUrl }),
    failedMailAlertJob({ orgName: config.orgName, appUrl: config.brand.appUrl, maxAttempts: config.policy.maxAttempts }),
    ...(config.digestHour === null
      ? []
      : [dailyDigestJob({ timeZone: config.timeZone, hour: config.digestHour, orgName: config.orgName, appUrl: config.brand.appUrl, log })]),
    purgeDraftsJob,
    ...(options.jobs ?? []),
  ];

  const runOnce = async () => {
    // The outbox reads the clock for itself; the jobs after it share one "now".
    const [outbox, ...rest] = jobs;
    await outbox!.run(db, clock.now());
    const now = clock.now();
    for (const job of rest) {
      // What was just queued goes out on the next round, straight away.
      if ((await job.run(db, now)) === true) again = true;
    }
  };

  const schedule = () => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    let wait = intervalMs;
    try {
      const due = nextDueAt(db);
      if (due) wait = Math.max(SHORTEST_WAIT_MS, Math.min(intervalMs, due.getTime() - clock.now().getTime()));
    } catch {
      // A busy or closing database: the regular interval will do.
    }
    timer = setTimeout(tick, wait);
    timer.unref();
  };

  function tick() {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = runOnce()
      .catch((error: unknown) => log(`[worker] ${error instanceof Error ? error.stack : String(error)}`))
      .finally(() => {
        running = null;
        if (again && !stopped) {
          again = false;
          tick();
        } else {
          schedule();
        }
      });
  }

  // A process that exits without stopping the worker gives its claims back,
  // so another worker need not wait for their leases to run out.
  const onExit = () => {
    try {
      releaseClaims(db, token);
    } catch {
      // The database may already be closed; the leases will run out instead.
    }
  };
  process.once("exit", onExit);
  // And the claims of a worker on this machine that was killed (it could not give them back): they go now, not
  // when their leases run out.
  try {
    const released = releaseClaimsOfGoneWorkers(db);
    if (released > 0) log(`[worker] ${released} message(s) claimed by a worker that is no longer running will be sent now`);
  } catch (error) {
    log(`[worker] ${error instanceof Error ? error.stack : String(error)}`);
  }
  tick();

  return {
    kick: tick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      process.off("exit", onExit);
      releaseClaims(db, token);
      transport.close();
    },
  };
}
