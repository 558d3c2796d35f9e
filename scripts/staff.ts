/**
 * `npm run staff -- add EMAIL --role admin|reviewer|auditor | remove EMAIL | reset-passkeys EMAIL | list`
 */
import { migrateDatabase } from "@/db/migrate";
import { STAFF_ROLES } from "@/db/schema";
import { addStaffMember, isStaffRole, listStaffMembers, parseStaffEmail, removeStaffMember } from "@/lib/staff/staff-members";
import { resetPasskeys } from "@/lib/staff/passkeys";
import { portalContextOf } from "@/lib/settings/portal-context";
import { databaseSettingsOrExit, settingsOrExit, openDatabaseOrExit } from "./lib/settings-or-exit";
import { keepNewFilesPrivate } from "./lib/private-files";

keepNewFilesPrivate();

const USAGE = `Usage:
  npm run staff -- add EMAIL --role admin|reviewer|auditor
  npm run staff -- remove EMAIL
  npm run staff -- reset-passkeys EMAIL
  npm run staff -- list`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

const [command, ...rest] = process.argv.slice(2);
if (!command || command === "--help" || command === "-h") {
  console.log(USAGE);
  process.exit(command ? 0 : 2);
}

const settings = databaseSettingsOrExit();
const db = openDatabaseOrExit(settings.databasePath);
migrateDatabase(db);

function finish(result: { ok: boolean; message: string }): never {
  db.$client.close();
  if (!result.ok) {
    console.error(result.message);
    process.exit(1);
  }
  console.log(result.message);
  process.exit(0);
}

switch (command) {
  case "add": {
    const roleFlag = rest.indexOf("--role");
    const role = roleFlag >= 0 ? rest[roleFlag + 1] : undefined;
    const positional = roleFlag >= 0 ? rest.filter((_, i) => i !== roleFlag && i !== roleFlag + 1) : rest;
    if (positional.length !== 1) fail("Give exactly one email address to add.");
    const email = parseStaffEmail(positional[0]);
    if (!email.ok) fail(email.message);
    if (!isStaffRole(role)) fail(`Give a role with --role: ${STAFF_ROLES.slice(0, -1).join(", ")} or ${STAFF_ROLES.at(-1)}.`);
    finish(addStaffMember(db, { email: email.email, role, now: new Date() }));
  }
  case "remove": {
    if (rest.length !== 1) fail("Give exactly one email address to remove.");
    const email = parseStaffEmail(rest[0]);
    if (!email.ok) fail(email.message);
    finish(removeStaffMember(db, { email: email.email }));
  }
  case "reset-passkeys": {
    // For the admin who lost every passkey and has no other admin to reset them: whoever runs the server can.
    if (rest.length !== 1) fail("Give exactly one email address whose passkeys to reset.");
    const email = parseStaffEmail(rest[0]);
    if (!email.ok) fail(email.message);
    finish(resetPasskeys(db, { by: null, email: email.email, now: new Date(), ctx: portalContextOf(settingsOrExit()) }));
  }
  case "list": {
    const members = listStaffMembers(db);
    db.$client.close();
    if (members.length === 0) {
      console.log("No staff yet. Add the first with: npm run staff -- add you@example.org --role admin");
    } else {
      for (const m of members) console.log(`${m.email}\t${m.role}\tadded ${m.addedAt.toISOString().slice(0, 10)}`);
    }
    process.exit(0);
  }
  default:
    fail(`Unknown command "${command}".`);
}
