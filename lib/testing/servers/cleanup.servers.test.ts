/**
 * A test process that dies without stopping its server (killed, Ctrl-C, an
 * uncaught error) still leaves nothing behind: the watchdog stops the server
 * and deletes its folder. PostgreSQL stands for all three servers here, since
 * they share the mechanism and it starts fastest.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { nodeArgs } from "@/lib/testing/script-bundles";
import { sleep } from "@/scripts/lib/processes";

const CHILD = "lib/testing/servers/start-in-child.ts";

/** Starts a server in a child process and resolves with where it is once it is up. */
function startInChild(ending: "wait" | "crash"): Promise<{ child: ReturnType<typeof spawn>; dir: string; port: number }> {
  const child = spawn(process.execPath, [...nodeArgs(CHILD), "postgres", ending], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split("\n").find((l) => l.startsWith("{"));
      if (line) resolve({ child, ...(JSON.parse(line) as { dir: string; port: number }) });
    });
    child.once("exit", () => reject(new Error(`the child ended before its server was up:\n${output}`)));
  });
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(250);
  }
  return check();
}

describe("a server outlives no test process", () => {
  const endings: { name: string; end: (child: ReturnType<typeof spawn>) => void; ending: "wait" | "crash" }[] = [
    { name: "killed outright (SIGKILL)", ending: "wait", end: (child) => child.kill("SIGKILL") },
    { name: "interrupted (Ctrl-C's SIGINT)", ending: "wait", end: (child) => child.kill("SIGINT") },
    { name: "ended by an uncaught error", ending: "crash", end: () => {} },
  ];
  for (const { name, end, ending } of endings) {
    it(`${name}: the server stops and its folder is deleted`, async () => {
      const { child, dir, port } = await startInChild(ending);
      expect(existsSync(dir)).toBe(true);
      expect(await portAnswers(port)).toBe(true);
      end(child);
      const cleaned = await eventually(async () => !existsSync(dir) && !(await portAnswers(port)), 30_000);
      expect(cleaned, `${dir} or port ${port} still there`).toBe(true);
    });
  }
});
