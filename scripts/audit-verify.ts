/**
 * `npm run audit:verify`: checks that the request log was not edited,
 * deleted from, added to out of order or cut short since it was written,
 * against every signed anchor in ANCHOR_FILE (and any given here), and that
 * each request's status, due date and assignee are what its events say.
 *
 *   npm run audit:verify
 *   npm run audit:verify -- --anchor '{"type":"rightsdesk-anchor",…}'   # an anchor from an email
 *   npm run audit:verify -- --anchor-file other-copy.jsonl --public-key key.pem
 *
 * Exit codes: 0 the record is intact, 1 it is not (the first thing that does
 * not fit is named, or the file is damaged), 2 there is nothing to check or
 * it cannot be checked.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import type { Db } from "@/db/connection";
import { openDatabaseReadOnly } from "@/db/connection";
import { parseAnchorLine, readAnchorFile, type AnchorSource } from "@/lib/audit/anchors";
import { verifyRecord } from "@/lib/audit/verify-record";
import { countOf } from "@/lib/language/plural";
import { KeyError, publicKeyFromPem, readSigningKey, type PublicKey } from "@/lib/settings/signing-key";
import { databaseDamage } from "@/lib/record/database-damage";
import { databaseSettingsOrExit } from "./lib/settings-or-exit";

function refuse(message: string): never {
  console.error(message);
  process.exit(2);
}

let args: { anchor: string[]; anchorFile: string[]; publicKey: string | undefined };
try {
  const { values } = parseArgs({
    options: {
      anchor: { type: "string", multiple: true },
      "anchor-file": { type: "string", multiple: true },
      "public-key": { type: "string" },
    },
    allowPositionals: false,
  });
  args = { anchor: values.anchor ?? [], anchorFile: values["anchor-file"] ?? [], publicKey: values["public-key"] };
} catch (error) {
  refuse(`${error instanceof Error ? error.message : String(error)}. Use: npm run audit:verify [-- --anchor LINE] [--anchor-file FILE] [--public-key FILE]`);
}

const settings = databaseSettingsOrExit();
const file = settings.databasePath;

// Opening would create an empty database, and an empty log verifies as intact: a typo in DATABASE_PATH must not pass.
if (!fs.existsSync(file)) {
  refuse(`There is no database at ${file}, so there is no record to check; set DATABASE_PATH to the database file.`);
}

function publicKey(): PublicKey | null {
  try {
    if (args.publicKey) return publicKeyFromPem(fs.readFileSync(args.publicKey, "utf8"));
    if (!fs.existsSync(settings.signingKeyFile)) return null;
    return readSigningKey(settings.signingKeyFile).publicKey;
  } catch (error) {
    if (error instanceof KeyError) refuse(error.message);
    refuse(`The public key ${args.publicKey} could not be read (${error instanceof Error ? error.message : String(error)}).`);
  }
}

const anchors: AnchorSource[] = [];
const unreadable: string[] = [];
for (const anchorFile of [settings.anchorFile, ...args.anchorFile]) {
  if (anchorFile !== settings.anchorFile && !fs.existsSync(anchorFile)) refuse(`There is no anchor file at ${anchorFile}.`);
  let read: ReturnType<typeof readAnchorFile>;
  try {
    read = readAnchorFile(anchorFile);
  } catch (error) {
    refuse(`The anchor file ${anchorFile} could not be read (${error instanceof Error ? error.message : String(error)}).`);
  }
  anchors.push(...read.sources);
  unreadable.push(...read.unreadable);
}
args.anchor.forEach((text, index) => {
  const anchor = parseAnchorLine(text);
  if (!anchor) refuse(`The anchor given as --anchor number ${index + 1} is not an anchor: paste the whole line, from {"type":"rightsdesk-anchor" to the closing brace.`);
  anchors.push({ where: `--anchor number ${index + 1}`, anchor });
});

let db: Db;
try {
  db = openDatabaseReadOnly(file);
  const columns = db.$client.prepare("select name from pragma_table_info('request_events')").pluck().all() as string[];
  if (columns.length === 0) {
    db.$client.close();
    refuse(`${file} holds no request log: it is not a Rightsdesk database, or it was never migrated.`);
  }
  if (!columns.includes("content_hash")) {
    db.$client.close();
    refuse(`${file} was last used by an older version of Rightsdesk: run \`npm run db:migrate\` (or start the portal) first, which converts its log.`);
  }
} catch (error) {
  refuse(`${file} could not be read as a database (${error instanceof Error ? error.message : String(error)}).`);
}

function damaged(detail: string): never {
  console.error(
    `${file} is damaged, so its record cannot be read in full (SQLite reports: ${detail}). ` +
      "Restore the last good backup (npm run restore), and keep this file for whoever looks into it.",
  );
  process.exit(1);
}

// SQLite's own check of every page first: a damaged page of the log would otherwise stop the check half-way.
const damage = databaseDamage(file, "quick");
if (damage) {
  db.$client.close();
  damaged(damage.notDatabase ? "it is not a database" : damage.detail);
}
let report: ReturnType<typeof verifyRecord>;
try {
  report = verifyRecord(db, { anchors, unreadableAnchors: unreadable, publicKey: publicKey() });
} catch (error) {
  // A page the quick check passed can still fail to read (an index): the same answer.
  damaged(error instanceof Error ? error.message : String(error));
} finally {
  db.$client.close();
}

if (report.cannotCheck) refuse(report.cannotCheck);
if (report.problem) {
  console.error(report.problem);
  process.exit(1);
}
const chain = report.chain!;
const agreeing = report.states?.requests ?? 0;
const requests = report.states ? `, ${countOf(agreeing, "request")} ${agreeing === 1 ? "agrees with its" : "agree with their"} events` : "";
console.log(`The record is intact: ${countOf(chain.events, "event")}, last hash ${chain.headHash || "none (the log is empty)"}${requests}.`);
for (const note of report.notes) console.log(note);
process.exit(0);
