import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "@playwright/test";
import { simpleParser, type AddressObject, type ParsedMail } from "mailparser";
import { harnessEnv } from "./env";
import { MAIL_FILE_PATTERN, type Envelope } from "./smtp-sink";

export type Mail = {
  /** Absolute path of the raw .eml, handy in failure messages. */
  file: string;
  /** Epoch ms at which the sink finished receiving the message. */
  receivedAt: number;
  /** Addresses in the To header, lower-cased. */
  to: string[];
  /** Addresses in the Cc header, lower-cased. */
  cc: string[];
  /** SMTP envelope recipients (includes Bcc), lower-cased. */
  rcptTo: string[];
  /** First address in the From header, lower-cased. */
  from: string;
  subject: string;
  text: string;
  /** The HTML part, or "" when the message has none. */
  html: string;
  /** Raw header values keyed by lower-case name (unfolded, not MIME-decoded); repeats are joined with "\n". */
  headers: Record<string, string>;
  /** Every http(s) URL in the text part, in order, without duplicates. */
  links: string[];
  /** Every http(s) href in the HTML part, entity-decoded, in order, without duplicates. */
  htmlLinks: string[];
  messageId: string | undefined;
};

export type WaitForMailOptions = {
  /** Recipient address, matched case-insensitively against To, Cc and the envelope. */
  to: string;
  subject?: RegExp;
  /** Only messages received at or after this epoch-ms time, e.g. `Date.now()` taken just before the action. */
  since?: number;
  /** Extra condition, e.g. `(m) => m.text.includes(reference)`. */
  where?: (mail: Mail) => boolean;
  timeoutMs?: number;
};

/** Where every emailed sign-in and confirmation link leads: a page with one button, which changes nothing by being opened. */
export const SIGN_IN_PATH = "/signin/link";

const cache = new Map<string, Mail>();

/** Waits for the first message (oldest first) matching the options, or fails listing what did arrive. */
export async function waitForMail(options: WaitForMailOptions): Promise<Mail> {
  const { timeoutMs = 15_000 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = (await allMail(options.since)).find((mail) => matches(mail, options));
    if (match) return match;
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(
    `No mail to ${options.to}${options.subject ? ` with subject ${String(options.subject)}` : ""}` +
      `${options.since ? ` since ${new Date(options.since).toISOString()}` : ""} within ${timeoutMs}ms.\n` +
      (await describeInbox()),
  );
}

/** Every message received so far that is addressed to `address`, oldest first. */
export async function mailsTo(address: string): Promise<Mail[]> {
  return (await allMail()).filter((mail) => isFor(mail, address));
}

/** The sign-in link from a sign-in email (text part first, then HTML); throws if there is none. */
export function signInLink(mail: Mail): string {
  const link = [...mail.links, ...mail.htmlLinks].find((url) => url.includes(`${SIGN_IN_PATH}?`));
  if (!link) {
    throw new Error(`No ${SIGN_IN_PATH} link in mail "${mail.subject}" to ${mail.to.join(", ")} (${mail.file}).`);
  }
  return link;
}

function matches(mail: Mail, options: WaitForMailOptions): boolean {
  return (
    isFor(mail, options.to) &&
    (options.since === undefined || mail.receivedAt >= options.since) &&
    (options.subject === undefined || options.subject.test(mail.subject)) &&
    (options.where === undefined || options.where(mail))
  );
}

function isFor(mail: Mail, address: string): boolean {
  const wanted = address.trim().toLowerCase();
  return [...mail.to, ...mail.cc, ...mail.rcptTo].includes(wanted);
}

/**
 * Every message received so far, oldest first; with `since`, only those received at or after it, told by the file's
 * name before it is read (every worker would otherwise parse every message the suite's run had received).
 */
async function allMail(since?: number): Promise<Mail[]> {
  const inboxDir = harnessEnv("E2E_INBOX_DIR");
  const names = (await readdir(inboxDir))
    .filter((name) => MAIL_FILE_PATTERN.test(name) && (since === undefined || receivedAtOf(name) >= since))
    .sort();
  const mails: Mail[] = [];
  for (const name of names) mails.push(await loadMail(path.join(inboxDir, name)));
  return mails;
}

/** When the sink finished receiving the message, from its file's name (epoch ms). */
function receivedAtOf(name: string): number {
  return Number(MAIL_FILE_PATTERN.exec(name)?.[1] ?? 0);
}

/** Messages never change once renamed into place, so each is parsed once per process. */
async function loadMail(file: string): Promise<Mail> {
  const cached = cache.get(file);
  if (cached) return cached;
  const raw = await readFile(file);
  const parsed = await simpleParser(raw);
  const envelope = await readEnvelope(file);
  const text = parsed.text ?? "";
  const html = parsed.html || "";
  const mail: Mail = {
    file,
    receivedAt: receivedAtOf(path.basename(file)),
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    rcptTo: (envelope?.rcptTo ?? []).map((a) => a.toLowerCase()),
    from: addresses(parsed.from)[0] ?? "",
    subject: parsed.subject ?? "",
    text,
    html,
    headers: rawHeaders(parsed),
    links: unique((text.match(/https?:\/\/[^\s<>"'`]+/g) ?? []).map(trimTrailingPunctuation)),
    htmlLinks: unique([...html.matchAll(/href\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)].map((m) => decodeEntities(m[1] ?? m[2] ?? ""))).filter(
      (href) => /^https?:\/\//i.test(href),
    ),
    messageId: parsed.messageId,
  };
  cache.set(file, mail);
  return mail;
}

async function readEnvelope(emlFile: string): Promise<Envelope | undefined> {
  const sidecar = emlFile.replace(/\.eml$/, ".envelope.json");
  try {
    return JSON.parse(await readFile(sidecar, "utf8")) as Envelope;
  } catch {
    return undefined;
  }
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  const out: string[] = [];
  const walk = (entries: AddressObject["value"]): void => {
    for (const entry of entries) {
      if (entry.address) out.push(entry.address.toLowerCase());
      if (entry.group) walk(entry.group);
    }
  };
  for (const object of objects) walk(object.value);
  return out;
}

function rawHeaders(parsed: ParsedMail): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { key, line } of parsed.headerLines) {
    const value = line.slice(line.indexOf(":") + 1).replace(/\r?\n[ \t]+/g, " ").trim();
    headers[key] = key in headers ? `${headers[key]}\n${value}` : value;
  }
  return headers;
}

function trimTrailingPunctuation(url: string): string {
  return url.replace(/[.,;:!?)\]}]+$/, "");
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (whole, entity: string) => {
    const lower = entity.toLowerCase();
    if (lower.startsWith("#x")) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith("#")) return String.fromCodePoint(parseInt(lower.slice(1), 10));
    const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
    return named[lower] ?? whole;
  });
}

async function describeInbox(): Promise<string> {
  const mails = await allMail().catch(() => []);
  if (mails.length === 0) return "The inbox is empty.";
  const recent = mails.slice(-10).map(
    (m) => `  ${new Date(m.receivedAt).toISOString()}  to ${[...m.to, ...m.cc].join(", ") || m.rcptTo.join(", ")}  "${m.subject}"`,
  );
  return `Last ${recent.length} of ${mails.length} messages in the inbox:\n${recent.join("\n")}`;
}

/** What every message from the e2e installation carries (see global-setup.ts). */
export const ORGANISATION = {
  name: "Harbour Trust",
  contact: "privacy@harbour-trust.example.org",
  logo: "https://harbour-trust.example.org/logo.png",
};

/**
 * Checks a received message the way a careful reader would: both parts,
 * the organisation's name and logo, its contact address (a supporter's
 * "Questions? Write to us"; mail to staff about their work has none), the
 * reference where there is one, the expected links in both parts, and no
 * link anywhere that does not start with APP_URL (or write to the contact
 * address).
 */
export function expectWellFormedMail(mail: Mail, expected: { reference?: string; links: string[]; toStaff?: boolean }): void {
  const appUrl = harnessEnv("E2E_BASE_URL");
  const where = `mail "${mail.subject}" (${mail.file})`;
  expect(mail.text.trim(), `${where}: text part`).not.toBe("");
  expect(mail.html, `${where}: HTML part`).toMatch(/^<!DOCTYPE html/i);
  expect(mail.messageId, `${where}: Message-ID`).toMatch(/^<[0-9a-f-]{36}@127\.0\.0\.1>$/);
  for (const part of [mail.text, mail.html]) {
    expect(part, where).toContain(ORGANISATION.name);
    if (expected.toStaff) expect(part, `${where}: mail to staff`).not.toContain(ORGANISATION.contact);
    else expect(part, where).toContain(ORGANISATION.contact);
    if (expected.reference) expect(part, where).toContain(expected.reference);
  }
  expect(mail.html, where).toContain(`src="${ORGANISATION.logo}"`);
  for (const link of expected.links) {
    expect(mail.links, `${where}: text links`).toContain(link);
    expect(mail.htmlLinks, `${where}: HTML links`).toContain(link);
  }
  for (const link of [...mail.links, ...mail.htmlLinks]) expect(link.startsWith(appUrl), `${where}: ${link}`).toBe(true);
  for (const [, href = ""] of mail.html.matchAll(/href="([^"]*)"/g)) {
    expect(href === `mailto:${ORGANISATION.contact}` || href.startsWith(appUrl), `${where}: href ${href}`).toBe(true);
  }
}
