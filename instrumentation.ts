export async function register() {
  // The worker belongs to the running server, not to `next build`'s workers.
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_PHASE !== "phase-production-build") {
    const { ensureWorker } = await import("./server/start-worker");
    ensureWorker();
  }
}
