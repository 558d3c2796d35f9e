import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import type { Db, Executor } from "./connection";
import { inTransaction } from "./transaction";
import { preparedOnce } from "./prepared";
import { staff } from "./schema";

const byEmail = (db: Db) => db.select().from(staff).where(eq(staff.email, sql.placeholder("email"))).prepare();

describe("preparedOnce", () => {
  let a: TempDatabase;
  let b: TempDatabase;
  beforeEach(() => {
    a = openTempDatabase();
    b = openTempDatabase();
  });
  afterEach(() => {
    a.close();
    b.close();
  });

  it("prepares a query once per connection and name, and each run takes its own values", () => {
    let prepared = 0;
    const counted = (db: Db) => {
      prepared++;
      return byEmail(db);
    };
    a.db.insert(staff).values({ email: "ann@example.org", role: "admin", addedAt: new Date() }).run();
    const first = preparedOnce(a.db, "staffByEmail", counted);
    expect(preparedOnce(a.db, "staffByEmail", counted)).toBe(first);
    expect(prepared).toBe(1);
    expect(first.get({ email: "ann@example.org" })?.role).toBe("admin");
    expect(first.get({ email: "bob@example.org" })).toBeUndefined();
    // Another connection gets its own statement, reading its own database.
    expect(preparedOnce(b.db, "staffByEmail", counted)).not.toBe(first);
    expect(prepared).toBe(2);
    expect(preparedOnce(b.db, "staffByEmail", counted).get({ email: "ann@example.org" })).toBeUndefined();
  });

  it("keeps one query for a database and its transactions, and runs it inside the transaction open when it runs", () => {
    const insert = (ex: Executor) =>
      ex.insert(staff).values({ email: sql.placeholder("email"), role: "admin", addedAt: sql.placeholder("addedAt") }).prepare();
    const throughDb = preparedOnce(a.db, "addStaff", insert);
    // Dates still go through the column's mapping when given by placeholder.
    const addedAt = new Date("2026-03-04T05:06:07.089Z");
    expect(() =>
      inTransaction(a.db, (tx) => {
        expect(preparedOnce(tx, "addStaff", insert)).toBe(throughDb);
        preparedOnce(tx, "addStaff", insert).run({ email: "cat@example.org", addedAt });
        throw new Error("roll back");
      }),
    ).toThrow("roll back");
    expect(a.db.select().from(staff).all()).toEqual([]);
    inTransaction(a.db, (tx) => preparedOnce(tx, "addStaff", insert).run({ email: "cat@example.org", addedAt }));
    expect(a.db.select({ addedAt: staff.addedAt }).from(staff).get()?.addedAt).toEqual(addedAt);
  });
});
