import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "./connection";
import { changeVersion, KEPT_ANSWERS, keptWhileUnchanged, withoutVersionChange } from "./change-version";
import { inTransaction } from "./transaction";
import { staff } from "./schema";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";

let t: TempDatabase;
let other: Db;
beforeEach(() => {
  t = openTempDatabase();
  other = openDatabase(t.file);
});
afterEach(() => {
  other.$client.close();
  t.close();
});

let n = 0;
const addStaff = (db: Db) => db.insert(staff).values({ email: `s${++n}@example.org`, role: "reviewer", addedAt: new Date() }).run();

function rolledBack(db: Db): never {
  addStaff(db);
  throw new Error("rolled back");
}

describe("changeVersion", () => {
  it.each<[string, boolean, (db: Db) => void]>([
    ["a read", false, (db) => db.select().from(staff).all()],
    ["a write that changes no row", false, (db) => db.$client.prepare("update staff set role = 'admin' where id = -1").run()],
    ["a write on this connection", true, (db) => addStaff(db)],
    ["a write another connection commits", true, () => addStaff(other)],
    ["a write rolled back", true, (db) => expect(() => inTransaction(db, () => rolledBack(db))).toThrow("rolled back")],
    ["bookkeeping written without a version change", false, (db) => withoutVersionChange(db, () => addStaff(db))],
    ["bookkeeping that fails half-way", false, (db) => expect(() => withoutVersionChange(db, () => { addStaff(db); throw new Error("half"); })).toThrow("half")],
  ])("after %s, the version moves: %s", (_what, moves, act) => {
    const before = changeVersion(t.db);
    act(t.db);
    expect(changeVersion(t.db) !== before).toBe(moves);
  });

  it("still moves for every write after bookkeeping was left out", () => {
    withoutVersionChange(t.db, () => addStaff(t.db));
    const before = changeVersion(t.db);
    addStaff(t.db);
    const after = changeVersion(t.db);
    expect(after).not.toBe(before);
    addStaff(other);
    expect(changeVersion(t.db)).not.toBe(after);
  });
});

describe("keptWhileUnchanged", () => {
  let worked = 0;
  /** What a page would show: what the database holds now, counting how often it was worked out. */
  const staffList = (db: Db, key = "staff") =>
    keptWhileUnchanged(db, key, () => {
      worked++;
      return db.select({ email: staff.email }).from(staff).all();
    });
  beforeEach(() => {
    worked = 0;
  });

  it("gives the kept answer while nothing is written, and a fresh one after any write", () => {
    addStaff(t.db);
    const first = staffList(t.db);
    expect(first).toHaveLength(1);
    expect(staffList(t.db)).toBe(first);
    expect(worked).toBe(1);

    addStaff(t.db);
    expect(staffList(t.db)).toHaveLength(2);
    expect(worked).toBe(2);

    // Another program writing to the same file.
    addStaff(other);
    expect(staffList(t.db)).toHaveLength(3);
    expect(worked).toBe(3);

    // Bookkeeping no answer reads leaves the kept answer standing.
    withoutVersionChange(t.db, () => t.db.$client.prepare("update staff set added_at = added_at").run());
    staffList(t.db);
    expect(worked).toBe(3);
  });

  it("keeps each key's answer apart, and at most KEPT_ANSWERS of them, the least recently given going first", () => {
    for (let i = 0; i <= KEPT_ANSWERS; i++) staffList(t.db, `key ${i}`);
    expect(worked).toBe(KEPT_ANSWERS + 1);
    staffList(t.db, `key ${KEPT_ANSWERS}`);
    expect(worked).toBe(KEPT_ANSWERS + 1);
    staffList(t.db, "key 0");
    expect(worked).toBe(KEPT_ANSWERS + 2);
  });

  it("keeps nothing for work that fails", () => {
    const failing = (): string => {
      throw new Error("refused");
    };
    expect(() => keptWhileUnchanged(t.db, "failing", failing)).toThrow("refused");
    expect(keptWhileUnchanged(t.db, "failing", () => "fine")).toBe("fine");
  });
});
