/**
 * `npm run seed:demo [-- --force]`: realistic fake supporters and a few
 * requests, so a new installation has something to try. Running it again
 * changes nothing.
 */
import { migrateDatabase } from "@/db/migrate";
import { seedDemo } from "@/lib/demo/seed-demo";
import { settingsOrExit, openDatabaseOrExit } from "./lib/settings-or-exit";
import { keepNewFilesPrivate } from "./lib/private-files";

keepNewFilesPrivate();

const args = process.argv.slice(2);
if (args.some((a) => a !== "--force")) {
  console.error("Usage: npm run seed:demo [-- --force]");
  process.exit(2);
}

const settings = settingsOrExit();
const db = openDatabaseOrExit(settings.databasePath);
migrateDatabase(db);
console.log(`Seeding demo data into ${settings.databasePath}…`);
const result = seedDemo(db, {
  ctx: {
    orgName: settings.orgName,
    appUrl: settings.appUrl,
    timeZone: settings.timeZone,
    regime: settings.regime,
    authSecret: settings.authSecret,
    signingKey: settings.signingKey,
    requestRetentionMonths: settings.requestRetentionMonths,
  },
  now: new Date(),
  force: args.includes("--force"),
  onProgress: (done, total) => console.log(`  ${done} of ${total} records written`),
});
db.$client.close();
if (!result.ok) {
  console.error(result.message);
  process.exit(1);
}
const r = result.records;
console.log(
  [
    `Demo records: ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged.`,
    result.requestsMade > 0 ? `Made ${result.requestsMade} demo requests in several states.` : "The demo requests were already there.",
    result.statementSaved ? "Saved a starting organisation statement; edit it on /staff/settings." : "Kept the organisation statement already saved.",
  ].join("\n"),
);
