// One implementation for the e2e harness and the bench: scripts/lib/processes.ts.
export { freePort } from "../../scripts/lib/processes";
