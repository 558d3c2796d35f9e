import fs from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { SMTPServer } from "smtp-server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempDir, removeTempDir } from "@/lib/testing/temp-database";
import { isPermanentFailure } from "./deliver";
import { createMailTransport, linksInText } from "./transport";

describe("createMailTransport without SMTP_URL", () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeTempDir(dir));

  it("writes one .eml file per message and logs each link once", async () => {
    const mailDir = path.join(dir, "mail");
    const lines: string[] = [];
    const transport = createMailTransport({
      smtpUrl: null,
      mailDir,
      mailFrom: "Rightsdesk <no-reply@localhost>",
      log: (line) => lines.push(line),
    });
    expect(transport.describe).toBe(`files in ${mailDir}`);

    const signIn = "http://127.0.0.1:3999/signin/link?token=abc&email=ann%40example.org&next=%2Frequests";
    const follow = "http://127.0.0.1:3999/requests/RD-7K3Q-9XWM";
    await transport.send({
      messageId: "<3f2a1b4c-0000-4000-8000-000000000001@127.0.0.1>",
      to: "ann@example.org",
      subject: "Your sign-in link for Test Org",
      text: `Sign in:\n${signIn}\n\nFollow it:\n${follow}\n\nAgain: ${signIn}\n\nTest Org · http://127.0.0.1:3999\n`,
      html: `<a href="${signIn.replace(/&/g, "&amp;")}">Sign in</a>`,
    });
    transport.close();

    const files = fs.readdirSync(mailDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.eml$/);
    const eml = fs.readFileSync(path.join(mailDir, files[0]!), "utf8");
    expect(eml).toMatch(/^Subject: Your sign-in link for Test Org$/m);
    expect(eml).toMatch(/^Message-ID: <3f2a1b4c-0000-4000-8000-000000000001@127\.0\.0\.1>$/m);
    expect(eml).toMatch(/^To: ann@example\.org$/m);
    expect(eml).toMatch(/^From: Rightsdesk <no-reply@localhost>$/m);

    const file = path.join(mailDir, files[0]!);
    expect(lines).toEqual([
      `[mail] "Your sign-in link for Test Org" to ann@example.org written to ${file}`,
      `[mail]   link: ${signIn}`,
      `[mail]   link: ${follow}`,
    ]);
  });

  it("logs a link that ends a sentence without the sentence's full stop", async () => {
    const lines: string[] = [];
    const transport = createMailTransport({ smtpUrl: null, mailDir: dir, mailFrom: "a@localhost", log: (line) => lines.push(line) });
    const preferences = "http://localhost:3101/preferences/eyJhIjoxfQ.eyJiIjoyfQ.c2lnbmF0dXJlYKs";
    const unsubscribe = "http://localhost:3101/unsubscribe/eyJhIjoxfQ.c2ln";
    await transport.send({
      messageId: "<m-footer@127.0.0.1>",
      to: "ann@example.org",
      subject: "Footer",
      text: `Change your email choices ${preferences}. Or unsubscribe from everything: ${unsubscribe}.\n`,
      html: "<p>t</p>",
    });
    transport.close();
    expect(lines.slice(1)).toEqual([`[mail]   link: ${preferences}`, `[mail]   link: ${unsubscribe}`]);
  });

  it("writes separate files for separate messages", async () => {
    const transport = createMailTransport({ smtpUrl: null, mailDir: dir, mailFrom: "a@localhost", log: () => {} });
    for (const n of [1, 2, 3]) {
      await transport.send({
        messageId: `<id-${n}@127.0.0.1>`,
        to: "ann@example.org",
        subject: `Message ${n}`,
        text: "no links here",
        html: "<p>no links here</p>",
      });
    }
    transport.close();
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".eml"));
    expect(files).toHaveLength(3);
    expect(fs.readdirSync(dir).some((f) => f.endsWith(".part"))).toBe(false);
  });
});

describe("createMailTransport headers", () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeTempDir(dir));

  async function eml(mail: { listUnsubscribe?: string | null; language?: string | null }, replyTo?: string): Promise<string> {
    const transport = createMailTransport({ smtpUrl: null, mailDir: dir, mailFrom: "Test Org <no-reply@test.example>", ...(replyTo ? { replyTo } : {}), log: () => {} });
    await transport.send({ messageId: "<m-1@127.0.0.1>", to: "ann@example.org", subject: "S", text: "t", html: "<p>t</p>", ...mail });
    transport.close();
    const [file] = fs.readdirSync(dir).filter((f) => f.endsWith(".eml"));
    return fs.readFileSync(path.join(dir, file!), "utf8");
  }

  it("adds the one-click unsubscribe headers (RFC 8058) only where the message has an address for them", async () => {
    const withIt = await eml({ listUnsubscribe: "http://127.0.0.1:3999/unsubscribe/abc" });
    expect(withIt).toMatch(/^List-Unsubscribe: <http:\/\/127\.0\.0\.1:3999\/unsubscribe\/abc>$/m);
    expect(withIt).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    removeTempDir(dir);
    dir = makeTempDir();
    const without = await eml({ listUnsubscribe: null });
    expect(without).not.toMatch(/^List-Unsubscribe/m);
  });

  it.each([
    ["fr", /^Content-Language: fr$/m],
    [null, /^(?![\s\S]*^Content-Language)/m],
  ] as const)("says the message's language (%s) where it is known", async (language, header) => {
    expect(await eml({ language })).toMatch(header);
  });

  it("sends replies to the organisation's contact address", async () => {
    expect(await eml({}, "privacy@test.example")).toMatch(/^Reply-To: privacy@test\.example$/m);
  });
});

describe("createMailTransport with SMTP_URL", () => {
  let server: SMTPServer;
  let port = 0;
  let connections = 0;
  const received: string[] = [];

  beforeEach(async () => {
    connections = 0;
    received.length = 0;
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      disableReverseLookup: true,
      logger: false,
      onConnect(_session, callback) {
        connections++;
        callback();
      },
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          received.push(Buffer.concat(chunks).toString("utf8"));
          callback();
        });
      },
    });
    port = await new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.server.address() as AddressInfo).port)));
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("keeps one pooled connection open for many messages, each with its own Message-ID", async () => {
    const transport = createMailTransport({ smtpUrl: `smtp://127.0.0.1:${port}`, mailDir: "unused", mailFrom: "Test Org <no-reply@test.example>" });
    expect(transport.describe).toBe(`SMTP server 127.0.0.1:${port} (pooled)`);
    for (const n of [1, 2, 3, 4]) {
      await transport.send({ messageId: `<m-${n}@127.0.0.1>`, to: "ann@example.org", subject: `Message ${n}`, text: `text ${n}`, html: `<p>html ${n}</p>` });
    }
    transport.close();
    expect(received).toHaveLength(4);
    expect(connections).toBe(1);
    received.forEach((raw, i) => {
      expect(raw).toMatch(new RegExp(`^Message-ID: <m-${i + 1}@127\\.0\\.0\\.1>\\r?$`, "m"));
      expect(raw).toContain("Content-Type: multipart/alternative");
    });
  });

  it("fails the send, with a code the worker can report, while the server refuses connections", async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const transport = createMailTransport({ smtpUrl: `smtp://127.0.0.1:${port}`, mailDir: "unused", mailFrom: "a@test.example" });
    const error: unknown = await transport
      .send({ messageId: "<m@127.0.0.1>", to: "ann@example.org", subject: "S", text: "t", html: "<p>t</p>" })
      .then(() => null, (e: unknown) => e);
    transport.close();
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: "ESOCKET" });
    expect(isPermanentFailure(error)).toBe(false);
    // Restart for afterEach's close.
    server = new SMTPServer({ logger: false });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  });
});

describe("linksInText", () => {
  const token = "http://localhost:3101/preferences/eyJhIjoxfQ.eyJiIjoyfQ.YKs";
  const cases: Array<[string, string, string[]]> = [
    ["a link on its own line", `Open:\n${token}\n`, [token]],
    ["a full stop after the link", `choices ${token}. Or`, [token]],
    ["the link ends the text with a full stop", `choices ${token}.`, [token]],
    ["a comma, semicolon and colon", `${token}, then ${token}; and ${token}: done`, [token]],
    ["an exclamation or question mark", `Is it ${token}? Yes ${token}!`, [token]],
    ["several marks together", `(see ${token}).`, [token]],
    ["brackets around the link", `[${token}] and {${token}}`, [token]],
    ["a closing quote", `"${token}" or '${token}' or \u201C${token}\u201D or \u00AB${token}\u00BB`, [token]],
    ["dots inside a signed token stay", "go to http://x.test/unsubscribe/a.b.c now", ["http://x.test/unsubscribe/a.b.c"]],
    ["a bracket that belongs to the link stays", "http://x.test/wiki/Rights_(law).", ["http://x.test/wiki/Rights_(law)"]],
    ["a query string keeps its own characters", "http://x.test/signin/link?token=ab&next=%2Fr%3Fd%3D1.", ["http://x.test/signin/link?token=ab&next=%2Fr%3Fd%3D1"]],
    ["padding at the end of a token stays", "http://x.test/t/abc== done", ["http://x.test/t/abc=="]],
    ["a bare scheme is not a link", "see http://. and https://,", []],
  ];
  it.each(cases)("%s", (_name, text, expected) => {
    expect(linksInText(text)).toEqual(expected);
  });
});
