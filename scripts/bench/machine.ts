/** What the figures were measured on, for results.json and the README. */
import fs from "node:fs";
import os from "node:os";

export type Machine = { cpuModel: string; cores: number; memoryMb: number; node: string; platform: string };

export function describeMachine(): Machine {
  const cpuinfo = fs.existsSync("/proc/cpuinfo") ? fs.readFileSync("/proc/cpuinfo", "utf8") : "";
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? "unknown";
  return {
    cpuModel: model.trim(),
    cores: os.availableParallelism(),
    memoryMb: Math.round(os.totalmem() / 1024 / 1024),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}
