/** The bench's own settings, all optional, for trying it at a smaller size; each is checked with one sentence. */
export type BenchOptions = {
  requests: number;
  supporters: number;
  drafts: number;
  seconds: number;
  warmupSeconds: number;
  bulkErasures: number;
  /** The short history the "flat with history" figures compare the full database with. */
  historyRequests: number;
  /** Supporters in the import figure's file, ten rows each. */
  importSupporters: number;
  /** BENCH_ONLY: measure only the figures whose name contains these words (for trying one figure quickly); null for all. */
  only: string | null;
};

type NumberOption = Exclude<keyof BenchOptions, "only">;

const OPTIONS: Array<{ variable: string; key: NumberOption; fallback: number; min: number; max: number }> = [
  { variable: "BENCH_REQUESTS", key: "requests", fallback: 1_000_000, min: 10_000, max: 5_000_000 },
  { variable: "BENCH_SUPPORTERS", key: "supporters", fallback: 100_000, min: 1_000, max: 1_000_000 },
  { variable: "BENCH_DRAFTS", key: "drafts", fallback: 30_000, min: 1_000, max: 500_000 },
  { variable: "BENCH_SECONDS", key: "seconds", fallback: 6, min: 1, max: 120 },
  { variable: "BENCH_WARMUP_SECONDS", key: "warmupSeconds", fallback: 2, min: 1, max: 60 },
  { variable: "BENCH_BULK_ERASURES", key: "bulkErasures", fallback: 10_000, min: 100, max: 100_000 },
  { variable: "BENCH_HISTORY_REQUESTS", key: "historyRequests", fallback: 10_000, min: 10_000, max: 5_000_000 },
  { variable: "BENCH_IMPORT_SUPPORTERS", key: "importSupporters", fallback: 100_000, min: 100, max: 1_000_000 },
];

export function parseBenchOptions(env: Record<string, string | undefined>): { ok: true; options: BenchOptions } | { ok: false; message: string } {
  const options = {} as BenchOptions;
  const only = (env.BENCH_ONLY ?? "").trim();
  if (only.length > 100) return { ok: false, message: "BENCH_ONLY must be a few words of a figure's name, 100 characters at most." };
  options.only = only === "" ? null : only.toLowerCase();
  for (const { variable, key, fallback, min, max } of OPTIONS) {
    const raw = (env[variable] ?? "").trim();
    if (raw === "") {
      options[key] = fallback;
      continue;
    }
    const value = Number(raw.replaceAll("_", ""));
    if (!/^\d[\d_]*$/.test(raw) || value < min || value > max) {
      return { ok: false, message: `${variable} must be a whole number from ${min} to ${max}, but it is "${raw}".` };
    }
    options[key] = value;
  }
  return { ok: true, options };
}

/** The figures to measure: all, or those whose name contains BENCH_ONLY's words. */
export function chosenFigures<F extends { name: string }>(figures: readonly F[], only: string | null): F[] {
  return only === null ? [...figures] : figures.filter((f) => f.name.toLowerCase().includes(only));
}
