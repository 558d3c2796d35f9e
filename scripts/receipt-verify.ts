/**
 * `npm run receipt:verify -- FILE`: checks a receipt (as saved or pasted from
 * the email; `-` reads it from standard input) against the organisation's
 * public key: this installation's own (SIGNING_KEY_FILE), or one given with
 * --public-key FILE, such as the one published at
 * /.well-known/rightsdesk-receipt-key.pem.
 *
 * Exit codes: 0 genuine, 1 not genuine, 2 it could not be checked.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { verifyReceipt } from "@/lib/record/receipts";
import { KeyError, publicKeyFromPem, readSigningKey, type PublicKey } from "@/lib/settings/signing-key";
import { databaseSettingsOrExit } from "./lib/settings-or-exit";

const USAGE = "Use: npm run receipt:verify -- FILE [--public-key KEY.pem] (FILE may be - to read the receipt from standard input)";

function refuse(message: string): never {
  console.error(message);
  process.exit(2);
}

let file: string;
let keyFile: string | undefined;
try {
  const { values, positionals } = parseArgs({ options: { "public-key": { type: "string" } }, allowPositionals: true });
  if (positionals.length !== 1) refuse(USAGE);
  file = positionals[0]!;
  keyFile = values["public-key"];
} catch (error) {
  refuse(`${error instanceof Error ? error.message : String(error)}. ${USAGE}`);
}

function readText(name: string): string {
  try {
    return fs.readFileSync(name === "-" ? 0 : name, "utf8");
  } catch {
    refuse(`The file ${name} could not be read.`);
  }
}

function publicKey(): PublicKey {
  try {
    if (keyFile) return publicKeyFromPem(readText(keyFile));
    return readSigningKey(databaseSettingsOrExit().signingKeyFile).publicKey;
  } catch (error) {
    if (error instanceof KeyError) refuse(`${error.message} Or give the organisation's published key with --public-key KEY.pem.`);
    throw error;
  }
}

const key = publicKey();
const check = verifyReceipt(readText(file), key);
if (!check.ok) {
  console.error(check.message);
  process.exit(1);
}
console.log(`This receipt is genuine: it was signed with the key ${check.keyId}, and nothing in it was changed since.`);
for (const [label, value] of check.lines) console.log(`${label}: ${value}`);
process.exit(0);
