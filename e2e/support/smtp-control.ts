/**
 * Lets a test take the shared SMTP sink down and bring it back. The sink
 * lives in the runner process; tests run in worker processes, so they ask
 * over a small HTTP endpoint on 127.0.0.1. Only tests that run alone (the
 * "alone" project) may use this: every other test needs the sink up.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { harnessEnv } from "./env";
import type { SmtpSink } from "./smtp-sink";

export type SmtpControl = { url: string; close(): Promise<void> };

export async function startSmtpControl(sink: SmtpSink): Promise<SmtpControl> {
  const server: Server = createServer((request, response) => {
    const action = request.method === "POST" ? request.url : null;
    const done = action === "/refuse" ? sink.refuse() : action === "/accept" ? sink.accept() : null;
    if (!done) {
      response.writeHead(404).end();
      return;
    }
    done.then(
      () => response.writeHead(204).end(),
      (err: unknown) => response.writeHead(500).end(err instanceof Error ? err.message : String(err)),
    );
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function ask(action: "refuse" | "accept"): Promise<void> {
  const response = await fetch(`${harnessEnv("E2E_SMTP_CONTROL_URL")}/${action}`, { method: "POST" });
  if (response.status !== 204) throw new Error(`The SMTP sink would not ${action}: HTTP ${response.status} ${await response.text()}`);
}

/** From now on the SMTP server refuses connections. */
export const refuseSmtp = (): Promise<void> => ask("refuse");

/** The SMTP server accepts connections again, on the same port. */
export const acceptSmtp = (): Promise<void> => ask("accept");
