import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { freePort, HEALTH_PATH, pollHealth, stopProcessGroup } from "./processes";

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(status: number, body: unknown): Promise<string> {
  const server = http.createServer((_req, res) => {
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify(body));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}${HEALTH_PATH}`;
}

describe("freePort", () => {
  it("gives a port on 127.0.0.1 that can be listened on", async () => {
    const port = await freePort();
    const server = http.createServer();
    servers.push(server);
    await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
    expect((server.address() as AddressInfo).port).toBe(port);
  });
});

describe("pollHealth", () => {
  it("is healthy once the endpoint answers 200 {ok:true}", async () => {
    const url = await serve(200, { ok: true });
    expect(await pollHealth(url, { timeoutMs: 5_000, hasExited: () => false })).toEqual({ status: "healthy" });
  });

  it("times out with what the last attempt saw when the endpoint is not ok", async () => {
    const url = await serve(503, { ok: false });
    expect(await pollHealth(url, { timeoutMs: 300, intervalMs: 50, hasExited: () => false })).toEqual({
      status: "timed-out",
      lastProblem: 'HTTP 503 {"ok":false}',
    });
  });

  it("stops polling when the process is gone", async () => {
    expect(await pollHealth(`http://127.0.0.1:9${HEALTH_PATH}`, { timeoutMs: 5_000, hasExited: () => true })).toEqual({ status: "exited" });
  });
});

describe("stopProcessGroup", () => {
  it("stops a detached child's process group", async () => {
    const child = spawn("sleep", ["30"], { detached: true, stdio: "ignore" });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
    await stopProcessGroup(child.pid!, 2_000);
    expect(await exited).toBe("SIGTERM");
  });

  it("does nothing for a pid it cannot own", async () => {
    await expect(stopProcessGroup(-1)).resolves.toBeUndefined();
  });
});
