// The parts of autocannon's API the bench uses; the package ships no types.
declare module "autocannon" {
  export type RawRequest = { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer };
  type Options = {
    url: string;
    connections?: number;
    duration?: number;
    headers?: Record<string, string>;
    requests?: Array<{ setupRequest?: (request: RawRequest) => RawRequest }>;
  };
  type Histogram = { average: number; p50: number; p99: number; max: number };
  export type Result = {
    requests: Histogram & { total: number };
    latency: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
    statusCodeStats: Record<string, { count: number | string }>;
  };
  /** A run under way: a promise of its result that can also be stopped early (its result then covers what ran). */
  export type Instance = Promise<Result> & { stop(): void; on(event: "response", listener: () => void): void };
  export default function autocannon(options: Options): Instance;
}
