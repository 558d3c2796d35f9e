import { mkdir, rename, writeFile } from "node:fs/promises";
import type { AddressInfo, Socket } from "node:net";
import path from "node:path";
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";

/** What the sink records next to each message, because Bcc recipients only exist in the envelope. */
export type Envelope = { mailFrom: string | null; rcptTo: string[]; receivedAt: number };

export type SmtpSink = {
  host: string;
  port: number;
  inboxDir: string;
  /** Stops listening and drops every open connection: from now on connections are refused, like a server that is down. */
  refuse(): Promise<void>;
  /** Listens again on the same port. */
  accept(): Promise<void>;
  close(): Promise<void>;
};

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

  const createServer = (): SMTPServer => new SMTPServer({
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

  const host = "127.0.0.1";
  /** Starts a server on `port` (0: any free one), tracking its sockets so `refuse` can drop them. */
  const listen = async (port: number): Promise<{ server: SMTPServer; sockets: Set<Socket>; port: number }> => {
    const server = createServer();
    // Without a listener a single broken client connection would crash the test runner.
    server.on("error", (err: Error) => console.error("[smtp-sink]", err.message));
    const sockets = new Set<Socket>();
    server.server.on("connection", (socket: Socket) => {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
    });
    const bound = await new Promise<number>((resolve, reject) => {
      server.server.once("error", reject);
      server.listen(port, host, () => {
        server.server.off("error", reject);
        resolve((server.server.address() as AddressInfo).port);
      });
    });
    return { server, sockets, port: bound };
  };

  const first = await listen(0);
  const port = first.port;
  let current: { server: SMTPServer; sockets: Set<Socket> } | null = first;

  const stop = async (): Promise<void> => {
    const running = current;
    current = null;
    if (!running) return;
    const closed = new Promise<void>((resolve) => running.server.server.close(() => resolve()));
    // A pooled client keeps its connection open; drop it, as a crashed server would.
    for (const socket of running.sockets) socket.destroy();
    await closed;
  };

  return {
    host,
    port,
    inboxDir,
    refuse: stop,
    async accept() {
      if (!current) current = await listen(port);
    },
    close: stop,
  };
}

async function writeAtomically(target: string, data: string | Buffer): Promise<void> {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  await writeFile(temp, data);
  await rename(temp, target);
}
