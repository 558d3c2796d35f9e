// Test helper: the entry of a worker thread that runs a TypeScript module. A thread does not inherit
// the loader its process was started with (tsx), so it registers it itself, then loads the module.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
