import { mkdir, rename, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";

/** What the sink records next to each message, because Bcc recipients only exist in the envelope. */
export type Envelope = { mailFrom: string | null; rcptTo: string[]; receivedAt: number };

export type SmtpSink = { host: string; port: number; inboxDir: string; close(): Promise<void> };

/** Filenames sort in arrival order and carry the arrival time, which mail.ts relies on for `since`. */
export const MAIL_FILE_PATTERN = /^(\d{13})-(\d{6})\.eml$/;

const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/**
 * Starts a plain-text SMTP server on 127.0.0.1 that accepts everything and writes each
 * message into `inboxDir` as `<epoch-ms>-<counter>.eml` (raw RFC 822 bytes).
 */
export async function startSmtpSink(inboxDir: string): Promise<SmtpSink> {
  await mkdir(inboxDir, { recursive: true });
  let counter = 0;

  const store = async (raw: Buffer, session: SMTPServerSession): Promise<void> => {
    const receivedAt = Date.now();
    counter += 1;
    const base = `${receivedAt}-${String(counter).padStart(6, "0")}`;
    const envelope: Envelope = {
      mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
      rcptTo: session.envelope.rcptTo.map((r) => r.address),
      receivedAt,
    };
    // The envelope lands first so a reader that sees the .eml can always find it.
    await writeAtomically(path.join(inboxDir, `${base}.envelope.json`), JSON.stringify(envelope));
    await writeAtomically(path.join(inboxDir, `${base}.eml`), raw);
  };

  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    // Reverse DNS would stall every connection on a network without a resolver.
    disableReverseLookup: true,
    logger: false,
    size: MAX_MESSAGE_BYTES,
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", (err: Error) => callback(err));
      stream.on("end", () => {
        if (stream.sizeExceeded) {
          callback(Object.assign(new Error("Message too large for the e2e sink"), { responseCode: 552 }));
          return;
        }
        store(Buffer.concat(chunks), session).then(
          () => callback(null, "Stored by rightsdesk e2e sink"),
          (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
        );
      });
    },
  });
  // Without a listener a single broken client connection would crash the test runner.
  server.on("error", (err: Error) => console.error("[smtp-sink]", err.message));

  const host = "127.0.0.1";
  const port = await new Promise<number>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(0, host, () => {
      server.server.off("error", reject);
      resolve((server.server.address() as AddressInfo).port);
    });
  });

  return {
    host,
    port,
    inboxDir,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function writeAtomically(target: string, data: string | Buffer): Promise<void> {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  await writeFile(temp, data);
  await rename(temp, target);
}
