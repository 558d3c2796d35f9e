/**
 * How the production server process is started, by `npm start` and by the
 * bench alike: our own small HTTP server around Next.js (scripts/serve.mjs),
 * with the JavaScript heap held to SERVER_HEAP_MB.
 */
import path from "node:path";
import type { Settings } from "@/lib/settings/settings";

export function serverArguments(root: string, settings: Pick<Settings, "serverHeapMb">): string[] {
  return [`--max-old-space-size=${settings.serverHeapMb}`, path.join(root, "scripts", "serve.mjs")];
}
