import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listenProblem } from "./listen-problem.mjs";

/** What listening on `host`, `port` really reports on this machine. */
function listenError(port: number, host: string | undefined): Promise<NodeJS.ErrnoException> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error));
    server.listen(port, host, () => server.close(() => reject(new Error(`listening on ${host ?? "every interface"}:${port} worked`))));
  });
}

describe("the sentence npm start prints when the server cannot listen", () => {
  let taken: Server;
  let port = 0;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    port = (taken.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  it.each<[string, () => [number, string | undefined], string]>([
    ["a port another program holds", () => [port, "127.0.0.1"], "port {port} is already in use on 127.0.0.1: stop what uses it, or set PORT to another."],
    // TEST-NET-1 (RFC 5737): never an address of this machine.
    [
      "a LISTEN_HOST that is not this machine's",
      () => [port, "192.0.2.1"],
      "LISTEN_HOST is 192.0.2.1, which is not an address of this machine: set it to one of this machine's addresses, such as 127.0.0.1, or leave it unset to listen on every interface.",
    ],
  ])("%s", async (_case, where, sentence) => {
    const [atPort, host] = where();
    const error = await listenError(atPort, host);
    expect(listenProblem(error, { port: atPort, host })).toBe(sentence.replace("{port}", String(atPort)));
  });

  it("names the port and the system's words for anything else", () => {
    const error = Object.assign(new Error("listen EMFILE: too many open files"), { code: "EMFILE" });
    expect(listenProblem(error, { port: 3000, host: undefined })).toBe("it cannot listen on port 3000 (listen EMFILE: too many open files).");
  });
});
