/**
 * How the production server process is started, by `npm start` and by the
 * bench alike: our own small HTTP server around Next.js (scripts/serve.mjs),
 * with the JavaScript heap held to SERVER_HEAP_MB, and V8's young generation
 * to semi-spaces of SERVER_SEMI_SPACE_MB: with Node's default of 16 MB the
 * server's resident memory grew about 25 MB higher under load for a few per
 * cent of throughput.
 */
import path from "node:path";
import type { Settings } from "@/lib/settings/settings";

export const SERVER_SEMI_SPACE_MB = 8;

export function serverArguments(root: string, settings: Pick<Settings, "serverHeapMb">): string[] {
  return [`--max-old-space-size=${settings.serverHeapMb}`, `--max-semi-space-size=${SERVER_SEMI_SPACE_MB}`, path.join(root, "scripts", "serve.mjs")];
}
