import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeTempDir, removeTempDir } from "@/lib/testing/temp-database";
import { createMailTransport } from "./transport";

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

    const signIn = "http://127.0.0.1:3999/api/auth/callback/email?token=abc&email=ann%40example.org";
    const follow = "http://127.0.0.1:3999/requests/RD-7K3Q-9XWM";
    await transport.send({
      messageId: "<3f2a1b4c-0000-4000-8000-000000000001@127.0.0.1>",
      to: "ann@example.org",
      subject: "Your sign-in link for Test Org",
      text: `Sign in:\n${signIn}\n\nFollow it:\n${follow}\n\nAgain: ${signIn}\n`,
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
  it("adds the headers computed for each recipient", async () => {
    const dir = makeTempDir();
    try {
      const transport = createMailTransport({
        smtpUrl: null,
        mailDir: dir,
        mailFrom: "a@localhost",
        log: () => {},
        headersFor: (to) => ({ "List-Unsubscribe": `<https://example.org/unsubscribe/${to.length}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" }),
      });
      await transport.send({ messageId: "<h@127.0.0.1>", to: "ann@example.org", subject: "Hi", text: "x", html: "<p>x</p>" });
      transport.close();
      const eml = fs.readFileSync(path.join(dir, fs.readdirSync(dir)[0]!), "utf8");
      expect(eml).toMatch(/^List-Unsubscribe: <https:\/\/example\.org\/unsubscribe\/15>$/m);
      expect(eml).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    } finally {
      removeTempDir(dir);
    }
  });
});
