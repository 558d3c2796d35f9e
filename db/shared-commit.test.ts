import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "./connection";
import { inSharedTransaction } from "./shared-commit";
import { makeTempDir, removeTempDir } from "@/lib/testing/temp-database";

describe("inSharedTransaction", () => {
  let dir: string;
  let db: Db;
  let other: Database.Database;
  beforeEach(() => {
    dir = makeTempDir();
    const file = path.join(dir, "shared.db");
    db = openDatabase(file);
    db.$client.exec(`
      create table parent (id integer primary key);
      create table note (n integer primary key);
      create table child (n integer primary key, parent_id integer not null references parent (id) deferrable initially deferred);
      insert into parent (id) values (1);`);
    // Another connection to the same file: it sees only what has been committed.
    other = new Database(file, { readonly: true });
  });
  afterEach(() => {
    other.close();
    db.$client.close();
    removeTempDir(dir);
  });

  const committed = () => other.prepare("select n from note order by n").pluck().all();

  type Step = "writes" | "writes, then fails";
  const note = (n: number, step: Step) => () => {
    db.$client.prepare("insert into note (n) values (?)").run(n);
    if (step === "writes, then fails") throw new Error(`write ${n} failed`);
    return n;
  };

  it.each<{ name: string; steps: Step[]; kept: number[] }>([
    { name: "one write alone", steps: ["writes"], kept: [1] },
    { name: "three writes of one turn", steps: ["writes", "writes", "writes"], kept: [1, 2, 3] },
    { name: "the middle one failing after it wrote: undone alone", steps: ["writes", "writes, then fails", "writes"], kept: [1, 3] },
    { name: "the first failing", steps: ["writes, then fails", "writes"], kept: [2] },
    { name: "the only one failing", steps: ["writes, then fails"], kept: [] },
  ])("$name: each caller told its own outcome, only the writes that did not fail kept", async ({ steps, kept }) => {
    const outcomes = await Promise.allSettled(steps.map((step, i) => inSharedTransaction(db, note(i + 1, step))));
    expect(outcomes).toEqual(
      steps.map((step, i) => (step === "writes" ? { status: "fulfilled", value: i + 1 } : { status: "rejected", reason: new Error(`write ${i + 1} failed`) })),
    );
    expect(committed()).toEqual(kept);
  });

  it("a write after which SQLite has undone the whole transaction (a full disk, say): every write refused, none run outside it", async () => {
    const undoesAll = () => {
      db.$client.prepare("insert into note (n) values (2)").run();
      db.$client.exec("rollback");
      throw new Error("disk full");
    };
    const outcomes = await Promise.allSettled([inSharedTransaction(db, note(1, "writes")), inSharedTransaction(db, undoesAll), inSharedTransaction(db, note(3, "writes"))]);
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(committed()).toEqual([]);
    expect(db.$client.inTransaction).toBe(false);
  });

  it("runs the writes of one turn in one transaction, and answers nobody before it commits", async () => {
    const seenBySecond: unknown[] = [];
    const first = inSharedTransaction(db, note(1, "writes")).then(() => committed());
    const second = inSharedTransaction(db, () => {
      // The first write is done but not yet committed: the other connection does not see it.
      seenBySecond.push(db.$client.inTransaction, committed());
      return note(2, "writes")();
    });
    expect(await first).toEqual([1, 2]);
    expect(await second).toBe(2);
    expect(seenBySecond).toEqual([true, []]);
  });

  it("commits writes of different turns apart", async () => {
    await inSharedTransaction(db, note(1, "writes"));
    const seen = await inSharedTransaction(db, () => committed());
    expect(seen).toEqual([1]);
  });

  it.each([
    ["alone", 1],
    ["with two others", 3],
  ])("a commit that fails, %s: every write of it refused, nothing stored", async (_what, writes) => {
    // A child whose parent does not exist passes its statement and fails the commit (its key is checked then).
    const orphan = () => db.$client.prepare("insert into child (n, parent_id) values (1, 99)").run();
    const all = [inSharedTransaction(db, orphan), ...Array.from({ length: writes - 1 }, (_, i) => inSharedTransaction(db, note(i + 1, "writes")))];
    const outcomes = await Promise.allSettled(all);
    expect(outcomes.map((o) => o.status)).toEqual(Array(writes).fill("rejected"));
    expect(outcomes.map((o) => (o.status === "rejected" ? (o.reason as { code?: string }).code : null))).toEqual(Array(writes).fill("SQLITE_CONSTRAINT_FOREIGNKEY"));
    expect(committed()).toEqual([]);
    expect(other.prepare("select count(*) from child").pluck().get()).toBe(0);
    // The connection is left as it was: the next write commits.
    expect(db.$client.inTransaction).toBe(false);
    await inSharedTransaction(db, note(7, "writes"));
    expect(committed()).toEqual([7]);
  });
});
