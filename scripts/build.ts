/**
 * `npm run build`: builds the production server when the build is missing or
 * older than the code, and records which code it built, as `npm start` does
 * before it starts; a build already current is left as it is.
 */
import { buildIfStale } from "./lib/build-fingerprint";

const outcome = buildIfStale(process.cwd(), { ...process.env, NEXT_TELEMETRY_DISABLED: "1" }, "Building Rightsdesk. This takes a few minutes…");
if (!outcome.ok) {
  console.error("The build failed (see above).");
  process.exit(outcome.status);
}
console.log(outcome.built ? "Built." : "The build is current: nothing to do.");
