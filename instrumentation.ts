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
    // The reports' tables count closings by month in TIME_ZONE; until they do, the page counts from the requests.
    const { alignReportTables } = await import("./lib/reports/report-tables");
    try {
      const { databasePath, timeZone } = getSettings();
      if (alignReportTables(sharedDatabase(databasePath), timeZone)) console.log(`[reports] tables rebuilt for the time zone ${timeZone}`);
    } catch (error) {
      console.error("[reports] could not rebuild the reports' tables for the time zone", error);
    }
  }
}
