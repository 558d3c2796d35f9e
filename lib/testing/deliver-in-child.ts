/**
 * Test helper, run as its own process by deliver-processes.test.ts: one
 * round of delivery against a database file, into .eml files, reporting
 * what it sent. Separate processes are what the claim must hold against.
 * It says "ready" once loaded and starts only when the go file exists, so
 * the processes' rounds overlap however slowly each one started.
 */
import fs from "node:fs";
import { openDatabase } from "@/db/connection";
import { deliverDueMail, MAIL_POLICY } from "@/lib/mail/deliver";
import { createMailTransport } from "@/lib/mail/transport";
import { TEST_BRAND } from "./outbox";

const [databasePath, mailDir, goFile] = process.argv.slice(2);
if (!databasePath || !mailDir || !goFile) throw new Error("usage: deliver-in-child.ts DATABASE_PATH MAIL_DIR GO_FILE");

const db = openDatabase(databasePath);
const transport = createMailTransport({ smtpUrl: null, mailDir, mailFrom: "Test Org <no-reply@test.example>", log: () => {} });
process.stderr.write("ready\n");
while (!fs.existsSync(goFile)) await new Promise((resolve) => setTimeout(resolve, 10));
const report = await deliverDueMail(db, transport, { brand: TEST_BRAND, policy: { ...MAIL_POLICY, ratePerSecond: 100 } });
transport.close();
db.$client.close();
process.stdout.write(JSON.stringify(report));
