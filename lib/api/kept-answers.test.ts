import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { staff } from "@/db/schema";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { keptAnswer } from "./kept-answers";

let t: TempDatabase;
beforeEach(() => {
  t = openTempDatabase();
});
afterEach(() => t.close());

describe("keptAnswer", () => {
  it("gives the answer written out as JSON, the same text again while nothing is written, and the new answer after a write", () => {
    let worked = 0;
    const list = () =>
      keptAnswer(t.db, "staff", () => {
        worked++;
        return t.db.select({ email: staff.email }).from(staff).all();
      });
    expect(JSON.parse(list())).toEqual([]);
    expect(list()).toBe("[]");
    expect(worked).toBe(1);
    t.db.insert(staff).values({ email: "ann@example.org", role: "admin", addedAt: new Date() }).run();
    expect(JSON.parse(list())).toEqual([{ email: "ann@example.org" }]);
    expect(worked).toBe(2);
  });
});
