/**
 * Where mail goes: an SMTP server when SMTP_URL is set, otherwise .eml files
 * in MAIL_DIR with every link printed to the log, so a fresh install works
 * with no mail server at all.
 */
import fs from "node:fs";
import path from "node:path";
import nodemailer from "nodemailer";
import SMTPPool from "nodemailer/lib/smtp-pool/index.js";

export type OutgoingMail = {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The one-click unsubscribe address (RFC 8058), where one applies. */
  listUnsubscribe?: string | null;
  /** The language the message is written in (its Content-Language header, RFC 3282), where it is known. */
  language?: string | null;
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
  /** Where replies go (the organisation's contact address); unset: back to the sender. */
  replyTo?: string;
  log?: (line: string) => void;
};

/**
 * Every wait on the mail server is bounded well inside the worker's lease
 * (lib/mail/deliver.ts), so a hung server cannot make a second worker think
 * a message was abandoned while the first is still sending it.
 */
export const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as const;

const LINK = /https?:\/\/[^\s<>"]+/g;

/** Sentence punctuation and closing quotes that end a sentence, never a link of ours. */
const TRAILING_PUNCTUATION = new Set([".", ",", ";", ":", "!", "?", "'", "\u2019", "\u201D", "\u00BB", "\u203A"]);
const CLOSING_BRACKETS: Record<string, string> = { ")": "(", "]": "[", "}": "{" };

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n++;
  return n;
}

/**
 * The links in a plain-text message, as a mail program would make them
 * clickable: a link at the end of a sentence ("… http://…/TOKEN. Or …")
 * loses the full stop, and a closing bracket goes only when the link itself
 * does not open one. Dots inside a link (signed tokens are `a.b.c`) stay.
 */
export function linksInText(text: string): string[] {
  const links: string[] = [];
  for (const [match] of text.matchAll(LINK)) {
    let link = match;
    for (;;) {
      const last = link.at(-1)!;
      const opening = CLOSING_BRACKETS[last];
      if (TRAILING_PUNCTUATION.has(last)) link = link.slice(0, -1);
      else if (opening && count(link, last) > count(link, opening)) link = link.slice(0, -1);
      else break;
    }
    if (/^https?:\/\/[^/?#]/.test(link)) links.push(link);
  }
  return [...new Set(links)];
}

function isSiteRoot(link: string): boolean {
  try {
    const url = new URL(link);
    return url.pathname === "/" && url.search === "";
  } catch {
    return false;
  }
}

export function createMailTransport(options: TransportOptions): MailTransport {
  const log = options.log ?? ((line: string) => console.log(line));
  const envelope = (mail: OutgoingMail) => ({
    from: options.mailFrom,
    to: mail.to,
    ...(options.replyTo ? { replyTo: options.replyTo } : {}),
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    headers: {
      ...(mail.language ? { "Content-Language": mail.language } : {}),
      ...(mail.listUnsubscribe
        ? {
            "List-Unsubscribe": `<${mail.listUnsubscribe}>`,
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
          }
        : {}),
    },
  });

  if (options.smtpUrl) {
    // One pooled connection, kept open between messages: the worker sends one
    // at a time, at the configured rate, so more connections would only idle.
    const smtp = nodemailer.createTransport(
      new SMTPPool({ url: options.smtpUrl, pool: true, maxConnections: 1, maxMessages: 200, ...SMTP_TIMEOUTS }),
    );
    return {
      describe: `SMTP server ${new URL(options.smtpUrl).host} (pooled)`,
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
      // Every message ends with the portal's own address; only links that lead somewhere are worth printing.
      const links = linksInText(mail.text).filter((link) => !isSiteRoot(link));
      log(`[mail] "${mail.subject}" to ${mail.to} written to ${file}`);
      for (const link of links) log(`[mail]   link: ${link}`);
    },
    close: () => writer.close(),
  };
}
