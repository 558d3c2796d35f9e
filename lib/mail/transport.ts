/**
 * Where mail goes: an SMTP server when SMTP_URL is set, otherwise .eml files
 * in MAIL_DIR with every link printed to the log, so a fresh install works
 * with no mail server at all.
 */
import fs from "node:fs";
import path from "node:path";
import nodemailer from "nodemailer";

export type OutgoingMail = {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
};

export type MailTransport = {
  describe: string;
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
};

export type TransportOptions = {
  smtpUrl: string | null;
  mailDir: string;
  mailFrom: string;
  log?: (line: string) => void;
  /** Extra headers for a message to this address, e.g. the one-click unsubscribe link. */
  headersFor?: (to: string) => Record<string, string>;
};

const LINK = /https?:\/\/[^\s<>"]+/g;

export function createMailTransport(options: TransportOptions): MailTransport {
  const log = options.log ?? ((line: string) => console.log(line));
  const envelope = (mail: OutgoingMail) => ({
    from: options.mailFrom,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    headers: options.headersFor?.(mail.to),
  });

  if (options.smtpUrl) {
    const smtp = nodemailer.createTransport(options.smtpUrl);
    return {
      describe: `SMTP server ${new URL(options.smtpUrl).host}`,
      async send(mail) {
        await smtp.sendMail(envelope(mail));
      },
      close: () => smtp.close(),
    };
  }

  const writer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    describe: `files in ${options.mailDir}`,
    async send(mail) {
      const info = await writer.sendMail(envelope(mail));
      fs.mkdirSync(options.mailDir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      const id = mail.messageId.replace(/[^A-Za-z0-9-]/g, "").slice(0, 36);
      const file = path.join(options.mailDir, `${stamp}-${id}.eml`);
      // Written under a temporary name first, so a reader never sees half a message.
      fs.writeFileSync(`${file}.part`, info.message as Buffer);
      fs.renameSync(`${file}.part`, file);
      const links = [...new Set(mail.text.match(LINK) ?? [])];
      log(`[mail] "${mail.subject}" to ${mail.to} written to ${file}`);
      for (const link of links) log(`[mail]   link: ${link}`);
    },
    close: () => writer.close(),
  };
}
