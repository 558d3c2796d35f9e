import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAIL_POLICY } from "@/lib/mail/deliver";
import { signInMail } from "@/lib/mail/emails/sign-in";
import { enqueueMail } from "@/lib/mail/outbox";
import { createMailTransport } from "@/lib/mail/transport";
import { ownerToken } from "@/lib/process/owner";
import { TEST_BRAND } from "@/lib/testing/outbox";
import { openTempDatabase } from "@/lib/testing/temp-database";
import { outboxJob } from "./outbox";

/** A mail server on loopback that takes only the user "portal" with the password "right". */
async function startServer(): Promise<{ server: SMTPServer; port: number }> {
  const server = new SMTPServer({
    authMethods: ["PLAIN", "LOGIN"],
    disabledCommands: ["STARTTLS"],
    disableReverseLookup: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === "portal" && auth.password === "right") callback(null, { user: "portal" });
      else callback(Object.assign(new Error("Invalid username or password"), { responseCode: 535 }));
    },
    onData(stream, _session, callback) {
      stream.resume();
      stream.on("end", () => callback());
    },
  });
  const port = await new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.server.address() as AddressInfo).port)));
  return { server, port };
}

describe("the mail worker's log line when the mail server fails", () => {
  let running: { server: SMTPServer; port: number };
  /** A port that was free a moment ago: nothing answers there. */
  let closedPort = 0;
  beforeAll(async () => {
    running = await startServer();
    const gone = await startServer();
    closedPort = gone.port;
    await new Promise<void>((resolve) => gone.server.close(() => resolve()));
  });
  afterAll(() => new Promise<void>((resolve) => running.server.close(() => resolve())));

  it.each<[string, () => string, string]>([
    ["a wrong password", () => `smtp://portal:wrong@127.0.0.1:${running.port}`, "the mail server refused the user name or password in SMTP_URL (EAUTH)"],
    [
      "a server that refuses connections",
      () => `smtp://portal:right@127.0.0.1:${closedPort}`,
      "the mail server in SMTP_URL could not be reached, or dropped the connection (is it running, and are the host and port right?) (ESOCKET)",
    ],
  ])("%s: says what is wrong in words, with the code", async (_case, smtpUrl, words) => {
    const t = openTempDatabase();
    const transport = createMailTransport({ smtpUrl: smtpUrl(), mailDir: t.dir, mailFrom: "Test Org <no-reply@test.example>" });
    try {
      const now = new Date();
      enqueueMail(t.db, { ...signInMail.draft({ orgName: "Test Org", link: `${TEST_BRAND.appUrl}/signin/link?token=t`, linkMinutes: 30 }), to: "ann@example.org", kind: "sign-in" }, { now, appUrl: TEST_BRAND.appUrl });
      const lines: string[] = [];
      const job = outboxJob({
        transport,
        brand: TEST_BRAND,
        policy: { ...MAIL_POLICY, maxAttempts: 3 },
        clock: { now: () => new Date(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
        token: ownerToken(),
        stopping: () => false,
        log: (line) => lines.push(line),
      });
      await job.run(t.db, now);
      expect(lines).toEqual([`[mail] 1 message could not be sent: ${words}; 0 newly marked failed after 3 tries; all will be retried`]);
    } finally {
      transport.close();
      t.close();
    }
  });
});
