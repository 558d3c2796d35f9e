import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import type { Db } from "./connection";
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
});
