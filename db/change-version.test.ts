import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "./connection";
import { changeVersion, withoutVersionChange } from "./change-version";
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
