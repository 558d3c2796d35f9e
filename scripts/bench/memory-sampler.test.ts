import { spawn, type ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { sampleMemory } from "./memory-sampler";

/** A real process that holds `mb` more megabytes, touched, each time it reads a line. */
function holder(): ChildProcess {
  const script = `const held = []; process.stdin.on("data", (d) => { held.push(Buffer.alloc(Math.round(Number(String(d).trim()) * 1024 * 1024), 1)); process.stdout.write("held\\n"); });`;
  return spawn(process.execPath, ["-e", script], { stdio: ["pipe", "pipe", "inherit"] });
}

function hold(child: ChildProcess, mb: number): Promise<void> {
  return new Promise((resolve) => {
    child.stdout!.once("data", () => resolve());
    child.stdin!.write(`${mb}\n`);
  });
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let child: ChildProcess | null = null;
afterEach(() => {
  child?.kill();
  child = null;
});

describe("the server's peak memory says what was being measured when it was reached", () => {
  it.each([
    { steps: [["starting", 0], ["filing", 120], ["reports", 0]] as const, peakDuring: "filing" },
    { steps: [["starting", 0], ["filing", 40], ["reports", 160]] as const, peakDuring: "reports" },
    { steps: [["starting", 0], ["filing", 150], ["reports", 0], ["csv", 0]] as const, peakDuring: "filing" },
    // Within a megabyte of the peak already while filing, then a little higher: still filing, however the rise was split.
    { steps: [["starting", 0], ["filing", 120], ["filing", 0.9], ["reports", 0.5]] as const, peakDuring: "filing" },
  ])("peak while $peakDuring", async ({ steps, peakDuring }) => {
    child = holder();
    let phase: string = steps[0][0];
    const sampler = sampleMemory(child.pid!, 20, () => phase);
    try {
      await wait(50);
      let startMb = 0;
      for (const [name, mb] of steps) {
        phase = name;
        if (name === "starting") startMb = sampler.peakMb();
        if (mb > 0) await hold(child, mb);
        // A sample taken now, in this phase, however late the timer's own samples run on a busy machine.
        sampler.peakMb();
      }
      expect(sampler.peakDuring()).toBe(peakDuring);
      expect(sampler.peakMb()).toBeGreaterThan(startMb + 100);
    } finally {
      sampler.stop();
    }
  });
});
