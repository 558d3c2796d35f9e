/**
 * The production HTTP server `npm start` runs: Next.js behind a plain Node
 * server whose only addition is to record the address each connection comes
 * from in a header no client can set (Next.js itself exposes no client
 * address, and its X-Forwarded-For is whatever the client sent). The header's
 * name is drawn at random when the server starts and handed to the app, which
 * runs in this same process, in RIGHTSDESK_PEER_HEADER; a client cannot guess
 * it, and proxy.ts removes anything a client sent under a name like it. The
 * per-IP limits read it, or X-Forwarded-For when TRUST_PROXY says a proxy of
 * the administrator's own writes that (lib/limits/client-ip.ts). It also
 * answers TRACE itself (405), which Next.js cannot take.
 *
 * Plain JavaScript so it runs on Node without a loader; keep it this small.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import next from "next";
import { listenProblem } from "./lib/listen-problem.mjs";

const PEER_ADDRESS_HEADER = `x-rightsdesk-peer-${randomBytes(16).toString("hex")}`;
process.env.RIGHTSDESK_PEER_HEADER = PEER_ADDRESS_HEADER;
const port = Number(process.env.PORT ?? "3000");
// Every interface unless LISTEN_HOST names one (the tests and the bench use 127.0.0.1).
const host = process.env.LISTEN_HOST || undefined;

const app = next({ dev: false, dir: process.cwd(), port });
const handle = app.getRequestHandler();
await app.prepare();

// TRACE, which the Fetch standard forbids: Next.js cannot make a Request of it and answered with a 500 (Node itself refuses TRACK and CONNECT).
const FORBIDDEN_METHODS = new Set(["TRACE"]);

const server = createServer((request, response) => {
  if (FORBIDDEN_METHODS.has(request.method ?? "")) {
    response.writeHead(405, { Allow: "GET, HEAD, POST", "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });
    response.end(`This address does not take ${request.method} requests: open it (GET), or send its form (POST).\n`);
    return;
  }
  request.headers[PEER_ADDRESS_HEADER] = request.socket.remoteAddress ?? "";
  void handle(request, response);
});
server.once("error", (error) => {
  console.error(`Rightsdesk cannot start: ${listenProblem(error, { port, host })}`);
  process.exit(1);
});
server.listen(port, host, () => console.log(`Rightsdesk is listening on ${host ?? "every interface"}, port ${port}`));

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    // Open keep-alive connections would hold close() up; they are not worth waiting long for.
    setTimeout(() => process.exit(0), 3000).unref();
    server.closeIdleConnections();
  });
}
