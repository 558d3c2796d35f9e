/**
 * `npm run restore -- FILE`: replaces the database with a backup, after
 * checking that nothing has the database open and that the backup's record
 * verifies. The replaced database is kept beside it, renamed; the restore is
 * signed into ANCHOR_FILE.
 *
 * Exit codes: 0 restored, 1 refused (nothing replaced; the reason is given),
 * 2 it could not run.
 */
import { parseArgs } from "node:util";
import { portalAnswers, processesUsing } from "@/lib/record/database-in-use";
import { restoreBackup } from "@/lib/record/restore";
import { countOf } from "@/lib/language/plural";
import { settingsOrExit } from "./lib/settings-or-exit";
import { keepNewFilesPrivate } from "./lib/private-files";

keepNewFilesPrivate();

const USAGE = "Use: npm run restore -- FILE (a backup made by npm run backup)";
let backup: string;
try {
  const { positionals } = parseArgs({ options: {}, allowPositionals: true });
  if (positionals.length !== 1) throw new Error("Give exactly one backup file");
  backup = positionals[0]!;
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}. ${USAGE}`);
  process.exit(2);
}

const settings = settingsOrExit();
const holders = processesUsing(settings.databasePath);
const address = `http://${settings.listenHost && settings.listenHost !== "::" ? settings.listenHost : "127.0.0.1"}:${settings.port}`;
if (holders.length > 0 || (await portalAnswers(address))) {
  const who = holders.length > 0 ? `${holders.length === 1 ? "process" : "processes"} ${holders.join(", ")} ${holders.length === 1 ? "has" : "have"} the database open` : `it answers at ${address}`;
  console.error(`The portal is running (${who}): stop it, and any mail worker, before restoring. Nothing was replaced.`);
  process.exit(1);
}

const outcome = restoreBackup({ backup, databasePath: settings.databasePath, anchorFile: settings.anchorFile, key: settings.signingKey, now: new Date() });
if (!outcome.ok) {
  console.error(outcome.problem);
  process.exit(1);
}
console.log(`Restored ${backup} to ${settings.databasePath}: ${countOf(outcome.events, "event")}, verified.`);
if (outcome.replacedBy) console.log(`The database it replaced is kept as ${outcome.replacedBy}.`);
if (outcome.anchoredUpTo) {
  console.log(`Anchors named events up to ${outcome.anchoredUpTo}; events ${outcome.events + 1} to ${outcome.anchoredUpTo} are not in this backup and were given up.`);
}
console.log(`The restore is signed into ${settings.anchorFile}.`);
process.exit(0);
