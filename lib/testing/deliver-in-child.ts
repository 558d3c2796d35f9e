/**
 * Test helper, run as its own process by deliver-processes.test.ts: one
 * round of delivery against a database file, into .eml files, reporting
 * what it sent. Separate processes are what the claim must hold against.
 */
import { openDatabase } from "@/db/connection";
import { deliverDueMail, MAIL_POLICY } from "@/lib/mail/deliver";
import { createMailTransport } from "@/lib/mail/transport";
import { TEST_BRAND } from "./outbox";

const [databasePath, mailDir] = process.argv.slice(2);
if (!databasePath || !mailDir) throw new Error("usage: deliver-in-child.ts DATABASE_PATH MAIL_DIR");

const db = openDatabase(databasePath);
const transport = createMailTransport({ smtpUrl: null, mailDir, mailFrom: "Test Org <no-reply@test.example>", log: () => {} });
const report = await deliverDueMail(db, transport, { brand: TEST_BRAND, policy: { ...MAIL_POLICY, ratePerSecond: 60 } });
transport.close();
db.$client.close();
process.stdout.write(JSON.stringify(report));
