/**
 * The progress `npm run import` prints for the person who ran it: the
 * first report of each phase, then at most one a second, and the last of
 * each phase (all its rows). The import reports every thousand rows, which
 * for a large file was a thousand lines a phase, faster than anyone reads,
 * and printing them took a share of the import's time.
 */
import type { ImportProgress } from "./import-records";

/** How long after a printed report the next one waits, in milliseconds. */
const PROGRESS_LINE_EVERY_MS = 1000;

/** `print` called for the reports worth a line; `clock` is the time in milliseconds (performance.now). */
export function progressLines(print: (progress: ImportProgress) => void, clock: () => number = () => performance.now()): (progress: ImportProgress) => void {
  let phase: ImportProgress["phase"] | null = null;
  let printedAt = 0;
  return (progress) => {
    const now = clock();
    const first = progress.phase !== phase;
    const last = progress.done >= progress.total;
    if (!first && !last && now - printedAt < PROGRESS_LINE_EVERY_MS) return;
    phase = progress.phase;
    printedAt = now;
    print(progress);
  };
}
