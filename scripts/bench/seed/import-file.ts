/**
 * The file the import figure imports: supporters and their records in the
 * layout of /staff/import (lib/supporters/import/layout.ts), ten rows for
 * each supporter, written the way a CRM export writes them (a supporter,
 * then their records). The same size always gives the same file. Its people
 * are numbered past every supporter the bench database holds, so each one
 * is new to it.
 */
import fs from "node:fs";
import { DONATION_METHODS } from "@/db/schema";
import { csvField } from "@/lib/reports/csv";
import { person } from "./people";
import { seededRandom } from "./random";

/** Rows in the file for each supporter: the supporter and nine records. */
export const ROWS_PER_SUPPORTER = 10;

const COLUMNS = [
  "kind",
  "external_id",
  "supporter_external_id",
  "email",
  "name",
  "postal_address",
  "phone",
  "amount",
  "currency",
  "date",
  "method",
  "card_last4",
  "plan",
  "ends_on",
  "status",
  "list",
  "at",
  "ended_at",
  "petition",
  "comment",
  "direction",
  "channel",
  "subject",
  "body",
  "ip_address",
  "user_agent",
  "page",
  "referrer",
] as const;
type Column = (typeof COLUMNS)[number];

const LISTS = ["newsletter", "urgent-action", "campaign-news", "events", "fundraising", "volunteers"] as const;
const PETITIONS = ["Clean rivers", "A free press", "Fair wages", "Open libraries", "Safe streets"] as const;
const DAY = 86_400_000;
/** People numbered from here on are in no bench table. */
const FIRST_PERSON = 5_000_000;
/** A fixed moment, so the file does not depend on the day it is made. */
const EPOCH = Date.UTC(2025, 0, 1);

export type ImportFile = { path: string; rows: number; supporters: number; bytes: number };

function line(cells: Partial<Record<Column, string>>): string {
  return `${COLUMNS.map((c) => csvField(cells[c] ?? "")).join(",")}\n`;
}

/** Writes the file for `supporters` supporters (ROWS_PER_SUPPORTER rows each, after the header). */
export function writeImportFile(file: string, supporters: number): ImportFile {
  const random = seededRandom(16);
  const fd = fs.openSync(file, "w");
  let chunk = `${COLUMNS.join(",")}\n`;
  let rows = 0;
  const when = () => EPOCH - Math.floor(random.between(0, 5 * 365 * DAY));
  const day = () => new Date(when()).toISOString().slice(0, 10);
  const instant = () => new Date(when()).toISOString().replace(".000Z", "Z");
  const add = (cells: Partial<Record<Column, string>>) => {
    chunk += line(cells);
    rows++;
  };
  try {
    for (let n = 1; n <= supporters; n++) {
      const who = person(FIRST_PERSON + n);
      const s = `IMP-${n}`;
      add({
        kind: "supporter",
        external_id: s,
        email: who.email,
        name: who.name,
        // Some addresses span two lines, inside quotes, as a spreadsheet writes them.
        postal_address: random.chance(0.6) ? `${n} Mill Lane\nLeeds LS${random.int(1, 28)}` : "",
        phone: random.chance(0.4) ? `07700 ${String(n % 1_000_000).padStart(6, "0")}` : "",
      });
      for (let i = 0; i < 3; i++) {
        const method = random.pick(DONATION_METHODS);
        add({
          kind: "donation",
          external_id: `${s}-D${i}`,
          supporter_external_id: s,
          amount: `${random.int(3, 250)}.${String(random.int(0, 99)).padStart(2, "0")}`,
          currency: "GBP",
          date: day(),
          method,
          card_last4: method === "card" ? String(random.int(1000, 9999)) : "",
        });
      }
      add({ kind: "membership", external_id: `${s}-M`, supporter_external_id: s, plan: random.pick(["Monthly", "Annual", "Life"]), date: day(), status: "active" });
      const first = random.int(0, LISTS.length - 1);
      for (let i = 0; i < 2; i++) {
        add({ kind: "subscription", external_id: `${s}-L${i}`, supporter_external_id: s, list: LISTS[(first + i) % LISTS.length], at: instant() });
      }
      add({
        kind: "petition_signature",
        external_id: `${s}-P`,
        supporter_external_id: s,
        petition: random.pick(PETITIONS),
        at: instant(),
        comment: random.chance(0.3) ? "This matters to my family, and to our street." : "",
      });
      add({
        kind: "correspondence",
        external_id: `${s}-C`,
        supporter_external_id: s,
        at: instant(),
        direction: random.chance(0.5) ? "in" : "out",
        channel: "email",
        subject: "About my membership",
        body: "Thank you for your letter.\nWe have updated your details, as you asked.",
      });
      add({
        kind: "web_visit",
        external_id: `${s}-W`,
        supporter_external_id: s,
        at: instant(),
        ip_address: `198.51.100.${random.int(1, 254)}`,
        user_agent: "Mozilla/5.0 (X11; Linux x86_64)",
        page: random.pick(["/donate", "/campaigns", "/news", "/join"]),
        referrer: random.chance(0.5) ? "https://search.example.com/" : "",
      });
      if (chunk.length > 1 << 20) {
        fs.writeSync(fd, chunk);
        chunk = "";
      }
    }
    fs.writeSync(fd, chunk);
  } finally {
    fs.closeSync(fd);
  }
  return { path: file, rows, supporters, bytes: fs.statSync(file).size };
}
