/**
 * A connected PostgreSQL CRM at size: 100,000 supporters (BENCH_SUPPORTERS)
 * with 20 rows each across three tables hanging off them, and one
 * supporter with 2,000. For that supporter, through the dataset map as a
 * request would use it: gathering the rows for an access export, the
 * erasure's dry run, and the erasure itself. Each is the median of five
 * runs after a warm-up, and is reported with its ratio to a floor measured
 * in the same run: the same rows read by hand-written statements, one per
 * table, over a plain connection. The server is started by the test
 * harness (a temporary folder on 127.0.0.1), and stopped at the end.
 */
import pg from "pg";
import { dryRunErasure, eraseInDatabase, gatherForExport, openDatabase } from "@/lib/systems/connectors/database-connector";
import { startPostgres } from "@/lib/testing/servers";
import type { DatabaseDriver } from "@/lib/systems/connectors/driver";
import { withinBudget, type Budget, type Figure, type FigureResult } from "../figure";
import { parseBenchOptions } from "../options";

const RUNS = 5;
const BIG = "big.supporter@example.org";

const MAP = `version: 1
supporter: { table: people, email: email }
tables:
  people:
    label: Supporter records
    erase: delete
    columns:
      email: { category: contact, correct: email }
      full_name: { category: contact, correct: name }
      phone: { category: contact, correct: phone }
  gifts:
    label: Donations
    parent: people
    join: { column: person_id, parentColumn: id }
    erase: { keep: { years: 6, from: given_on, reason: "Tax law" } }
    columns:
      person_id: { category: donation, erase: "null" }
      given_on: { category: donation }
      amount_pence: { category: donation }
      card_last4: { category: donation, erase: "null" }
  visits:
    label: Web visits
    parent: people
    join: { column: person_id, parentColumn: id }
    erase: delete
    columns:
      at: { category: web_visit }
      ip: { category: web_visit }
      page: { category: web_visit }
  newsletter:
    label: Newsletters
    parent: people
    join: { column: person_id, parentColumn: id }
    erase: delete
    unsubscribe: { set: { status: unsubscribed } }
    columns:
      list: { category: subscription }
      status: { category: subscription }
`;

const SCHEMA = `
  CREATE TABLE people (id serial PRIMARY KEY, email varchar(254) NOT NULL, full_name text, phone text);
  CREATE TABLE gifts (id bigserial PRIMARY KEY, person_id int REFERENCES people(id), given_on date NOT NULL, amount_pence int NOT NULL, card_last4 char(4));
  CREATE TABLE visits (id bigserial PRIMARY KEY, person_id int NOT NULL REFERENCES people(id), at timestamptz NOT NULL, ip text NOT NULL, page text NOT NULL);
  CREATE TABLE newsletter (person_id int NOT NULL REFERENCES people(id), list text NOT NULL, status text NOT NULL, PRIMARY KEY (person_id, list));
`;

/** Everyone: 1 person row, 8 gifts, 8 visits, 3 newsletters = 20 rows each. */
function seedEveryone(supporters: number): string {
  return `
    INSERT INTO people (email, full_name, phone) SELECT 'supporter' || n || '@example.org', 'Supporter ' || n, '+44 20 7946 ' || lpad((n % 10000)::text, 4, '0') FROM generate_series(1, ${supporters}) n;
    INSERT INTO gifts (person_id, given_on, amount_pence, card_last4) SELECT p, date '2016-01-01' + (p * 7 + g * 97) % 3650, 500 + g * 100, '4242' FROM generate_series(1, ${supporters}) p, generate_series(1, 8) g;
    INSERT INTO visits (person_id, at, ip, page) SELECT p, timestamptz '2026-01-01' + (v || ' hours')::interval, '192.0.2.' || (v % 250), '/page/' || v FROM generate_series(1, ${supporters}) p, generate_series(1, 8) v;
    INSERT INTO newsletter (person_id, list, status) SELECT p, l, 'subscribed' FROM generate_series(1, ${supporters}) p, unnest(ARRAY['alerts', 'news', 'events']) l;
    CREATE INDEX people_email_idx ON people (lower(btrim(email)));
    CREATE INDEX gifts_person_idx ON gifts (person_id);
    CREATE INDEX visits_person_idx ON visits (person_id);
    ANALYZE;
  `;
}

/** The supporter with 2,000 rows: 1 person, 800 gifts (half inside the keep period), 800 visits, 399 newsletters. */
const SEED_BIG = `
  WITH p AS (INSERT INTO people (email, full_name, phone) VALUES ('${BIG}', 'Big Supporter', '+44 20 7946 0000') RETURNING id)
  , g AS (INSERT INTO gifts (person_id, given_on, amount_pence, card_last4) SELECT p.id, date '2026-11-01' - (n * 5), 2500, '4242' FROM p, generate_series(1, 800) n)
  , v AS (INSERT INTO visits (person_id, at, ip, page) SELECT p.id, timestamptz '2026-01-01' + (n || ' minutes')::interval, '198.51.100.7', '/page/' || n FROM p, generate_series(1, 800) n)
  INSERT INTO newsletter (person_id, list, status) SELECT p.id, 'list-' || n, 'subscribed' FROM p, generate_series(1, 399) n;
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

function msFigure(name: string, value: number, floor: number, limit: number, detail: Record<string, number | string>): FigureResult {
  const budget: Budget = { kind: "below", limit };
  const rounded = Math.round(value * 10) / 10;
  return { name, value: rounded, unit: "ms", budget, passed: withinBudget(rounded, budget), ratio: Math.round((value / floor) * 100) / 100, detail: { floorMs: Math.round(floor * 10) / 10, ...detail } };
}

export const connectedDatabaseFigures: Figure = {
  name: "a connected PostgreSQL CRM: gathering, dry run and erasure for a supporter with 2,000 rows",
  async measure() {
    const parsed = parseBenchOptions(process.env);
    const supporters = parsed.ok ? parsed.options.supporters : 100_000;
    const server = await startPostgres();
    let driver: DatabaseDriver | null = null;
    const client = new pg.Client(server.connection);
    try {
      await client.connect();
      const seedStart = performance.now();
      await client.query(SCHEMA);
      await client.query(seedEveryone(supporters));
      await client.query(SEED_BIG);
      const seedMs = Math.round(performance.now() - seedStart);
      console.log(`  (connected CRM seeded in ${Math.round(seedMs / 1000)} s: ${supporters} supporters with 20 rows each, and one with 2,000)`);
      driver = await openDatabase(
        { kind: "postgres", settings: { ...server.connection, schema: "public", tls: "off" }, password: server.connection.password },
        // The bench's own server on loopback: allowed explicitly, as an admin would allow a host of their own.
        { allowPrivateHosts: ["127.0.0.1"], resolve: async () => [] },
      );
      const d = driver;
      const now = new Date("2026-12-01T12:00:00Z");

      // The floor: the same rows, read by hand-written statements over a plain connection.
      const floorRead = async () => {
        const person = await client.query<{ id: number }>("SELECT id, email, full_name, phone FROM people WHERE lower(btrim(email)) = $1", [BIG]);
        const id = person.rows[0]?.id;
        await client.query("SELECT id, person_id, given_on, amount_pence, card_last4 FROM gifts WHERE person_id = $1", [id]);
        await client.query("SELECT id, person_id, at, ip, page FROM visits WHERE person_id = $1", [id]);
        await client.query("SELECT person_id, list, status FROM newsletter WHERE person_id = $1", [id]);
      };
      await floorRead();
      const floorTimes: number[] = [];
      for (let i = 0; i < RUNS; i++) floorTimes.push(await timed(floorRead));
      const floor = median(floorTimes);

      let rows = 0;
      await gatherForExport(d, MAP, BIG);
      const gatherTimes: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        gatherTimes.push(
          await timed(async () => {
            rows = (await gatherForExport(d, MAP, BIG)).reduce((n, t) => n + t.rows.length, 0);
          }),
        );
      }

      await dryRunErasure(d, MAP, { email: BIG, now, timeZone: "UTC" });
      const dryTimes: number[] = [];
      for (let i = 0; i < RUNS; i++) dryTimes.push(await timed(() => dryRunErasure(d, MAP, { email: BIG, now, timeZone: "UTC" })));

      // Each erasure run erases the supporter for real, committed; they are put back between runs, untimed.
      const eraseTimes: number[] = [];
      let deleted = 0;
      let kept = 0;
      for (let i = 0; i < RUNS; i++) {
        if (i > 0) await client.query(SEED_BIG);
        eraseTimes.push(
          await timed(async () => {
            const counts = await eraseInDatabase(d, MAP, { email: BIG, now, timeZone: "UTC", hashValue: (v) => v });
            deleted = counts.reduce((n, c) => n + c.deleted, 0);
            kept = counts.reduce((n, c) => n + c.kept, 0);
          }),
        );
      }
      const size = { supporters, rowsEach: 20 };
      return [
        msFigure("connected PostgreSQL: gathering one supporter's 2,000 rows for an export (median of five)", median(gatherTimes), floor, 300, { rows, ...size }),
        msFigure("connected PostgreSQL: the erasure's dry run for those rows (median of five)", median(dryTimes), floor, 200, size),
        msFigure("connected PostgreSQL: the erasure, committed (median of five)", median(eraseTimes), floor, 500, { deleted, kept, ...size }),
      ];
    } finally {
      await client.end().catch(() => {});
      await driver?.close().catch(() => {});
      await server.stop();
    }
  },
};
