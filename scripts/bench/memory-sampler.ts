/**
 * Samples the resident memory of a process and everything it started, from
 * /proc, a few times a second. The peak is the larger of the highest sampled
 * total and what the kernel itself recorded as each process's high-water mark
 * (VmHWM), so a spike between two samples is not missed.
 */
import fs from "node:fs";

function statusKb(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // The parent id follows the command name, which is in parentheses and may hold spaces.
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent === pid) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

function processTree(pid: number): number[] {
  return [pid, ...childrenOf(pid).flatMap(processTree)];
}

export type MemorySampler = {
  peakMb(): number;
  /** What `phase` said when the peak was reached, to within a megabyte and a sample's time; null before any. */
  peakDuring(): string | null;
  processes(): number;
  stop(): void;
};

const PLACED_WITHIN_KB = 1024;

/** `phase` names what is going on (the figure being measured), so the peak can be told apart from the rest of the run. */
export function sampleMemory(pid: number, everyMs = 200, phase: () => string | null = () => null): MemorySampler {
  let peakKb = 0;
  // Each sample that set a new peak, with what `phase` said then, from the first within a megabyte of the peak on:
  // the peak is placed at that first one, so a later rise of less than a megabyte, however many samples it is
  // split over, does not move it.
  const rises: Array<{ kb: number; phase: string | null }> = [];
  let seen = new Set<number>();
  const sample = () => {
    const tree = processTree(pid);
    seen = new Set([...seen, ...tree]);
    const total = tree.reduce((sum, p) => sum + statusKb(p, "VmRSS"), 0);
    const highWater = Math.max(...tree.map((p) => statusKb(p, "VmHWM")));
    const now = Math.max(total, highWater);
    if (now <= peakKb) return;
    peakKb = now;
    rises.push({ kb: now, phase: phase() });
    while (rises[0]!.kb < peakKb - PLACED_WITHIN_KB) rises.shift();
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    peakMb: () => {
      sample();
      return Math.round(peakKb / 1024);
    },
    peakDuring: () => rises[0]?.phase ?? null,
    processes: () => seen.size,
    stop: () => clearInterval(timer),
  };
}
