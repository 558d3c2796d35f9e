export async function register() {
  // The worker belongs to the running server, not to `next build`'s workers.
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_PHASE !== "phase-production-build") {
    const { ensureWorker } = await import("./server/start-worker");
    ensureWorker();
    const { recoverImports } = await import("./server/import-runner");
    const { sharedDatabase } = await import("./db/connection");
    const { getSettings } = await import("./server/settings");
    try {
      recoverImports(sharedDatabase(getSettings().databasePath));
    } catch (error) {
      console.error("[import] could not check for interrupted imports", error);
    }
  }
}
