/**
 * `npm start`: check the settings, build if the build is missing or stale,
 * apply pending migrations (and count the reports in TIME_ZONE), then run the production server.
 */
import { spawn } from "node:child_process";
import { alignReportTables } from "@/lib/reports/report-tables";
import { noticeSettingProblem } from "@/lib/requests/intake/new-request-notice";
import { migrateOrExit } from "./lib/migrate-or-exit";
import { buildIfStale } from "./lib/build-fingerprint";
import { serverArguments } from "./lib/server-command";
import { mailingSettingsOrExit, serverEnvironment, openDatabaseOrExit } from "./lib/settings-or-exit";
import { keepNewFilesPrivate } from "./lib/private-files";

keepNewFilesPrivate();

const root = process.cwd();
const settings = mailingSettingsOrExit();
const env = serverEnvironment(settings);

const build = buildIfStale(root, env, "Building Rightsdesk (first start, or the code changed). This takes a few minutes…");
if (!build.ok) {
  console.error("Rightsdesk cannot start: the build failed (see above).");
  process.exit(build.status);
}

const db = openDatabaseOrExit(settings.databasePath);
migrateOrExit(db, settings.dataDir);
// The reports' tables count closings by month in TIME_ZONE: a new zone rebuilds them once, here.
if (alignReportTables(db, settings.timeZone)) console.log(`The reports' tables were rebuilt for the time zone ${settings.timeZone}.`);
// A named recipient of new-request notices who is not on the staff list: the team is told instead, and the admin is told why.
const noticeProblem = noticeSettingProblem(db, settings.newRequestNotice);
if (noticeProblem) console.warn(`Warning: ${noticeProblem}`);
db.$client.close();
console.log(`Database ready at ${settings.databasePath}`);
console.log(
  settings.smtpUrl
    ? `Mail goes through ${new URL(settings.smtpUrl).host}`
    : `No SMTP_URL: mail is written to ${settings.mailDir} and links are printed here`,
);

// Our own small server around Next.js (scripts/serve.mjs), so the per-IP limits know the client's address.
const server = spawn(process.execPath, serverArguments(root, settings), {
  stdio: "inherit",
  env: { ...env, NODE_ENV: "production" },
});
console.log(`Rightsdesk is starting on ${settings.appUrl}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => server.kill(signal));
}
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
