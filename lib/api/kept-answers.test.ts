import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "@/db/connection";
import { staff } from "@/db/schema";
import { withoutVersionChange } from "@/db/change-version";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { KEPT_ANSWERS, keptAnswer } from "./kept-answers";

let t: TempDatabase;
let worked: number;
beforeEach(() => {
  t = openTempDatabase();
  worked = 0;
});
afterEach(() => t.close());

/** The answer a page would be: what the database holds now, counting how often it was worked out. */
function staffList(db: Db, key = "staff"): string {
  return keptAnswer(db, key, () => {
    worked++;
    return db.select({ email: staff.email }).from(staff).all();
  });
}
const add = (db: Db, email: string) => db.insert(staff).values({ email, role: "reviewer", addedAt: new Date() }).run();

describe("keptAnswer", () => {
  it("gives the kept answer while nothing is written, and a fresh one after any write", () => {
    add(t.db, "a@example.org");
    expect(JSON.parse(staffList(t.db))).toEqual([{ email: "a@example.org" }]);
    expect(staffList(t.db)).toBe(staffList(t.db));
    expect(worked).toBe(1);

    add(t.db, "b@example.org");
    expect(JSON.parse(staffList(t.db))).toHaveLength(2);
    expect(worked).toBe(2);

    // Another program writing to the same file.
    const other = openDatabase(t.file);
    try {
      add(other, "c@example.org");
    } finally {
      other.$client.close();
    }
    expect(JSON.parse(staffList(t.db))).toHaveLength(3);
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

  it("keeps nothing for a call whose work fails", () => {
    expect(() => keptAnswer(t.db, "failing", () => { throw new Error("refused"); })).toThrow("refused");
    expect(JSON.parse(keptAnswer(t.db, "failing", () => "fine"))).toBe("fine");
  });
});
