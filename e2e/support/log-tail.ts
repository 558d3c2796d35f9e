import { closeSync, openSync, readSync, statSync } from "node:fs";

export type LogTail = { stop(): void };

/**
 * Echoes lines appended to `file` with a prefix; it follows the file rather than a pipe
 * so output from servers restarted by test workers shows up too.
 */
export function tailLog(file: string, prefix: string, intervalMs = 250): LogTail {
  let offset = 0;
  let partial = "";

  const drain = (flush: boolean): void => {
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      return;
    }
    if (size > offset) {
      const buffer = Buffer.alloc(size - offset);
      const fd = openSync(file, "r");
      try {
        offset += readSync(fd, buffer, 0, buffer.length, offset);
      } finally {
        closeSync(fd);
      }
      partial += buffer.toString("utf8");
    }
    const lines = partial.split("\n");
    partial = flush ? "" : (lines.pop() ?? "");
    for (const line of lines) if (line.length > 0) process.stdout.write(`${prefix}${line}\n`);
  };

  const timer = setInterval(() => drain(false), intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      drain(true);
    },
  };
}
