import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { WAL_CHECKPOINT_PAGES } from "./connection";
import { BUSY_TIMEOUT_MS } from "./transaction";

let t: TempDatabase;
beforeEach(() => {
  t = openTempDatabase();
});
afterEach(() => t.close());

describe("openDatabase", () => {
  it.each<[string, unknown]>([
    ["journal_mode", "wal"],
    // NORMAL: in WAL mode a commit survives the process being killed, and only a power cut can lose the last ones.
    ["synchronous", 1],
    ["foreign_keys", 1],
    ["busy_timeout", BUSY_TIMEOUT_MS],
    ["wal_autocheckpoint", WAL_CHECKPOINT_PAGES],
  ])("sets %s to %s", (pragma, value) => {
    expect(t.db.$client.pragma(pragma, { simple: true })).toBe(value);
  });

  it("lets the write-ahead log grow past SQLite's 1,000 pages before copying it back", () => {
    const sqlite = t.db.$client;
    sqlite.exec("create table scratch (body blob)");
    const insert = sqlite.prepare("insert into scratch (body) values (?)");
    // About 1,500 pages, one commit each, as many small transactions write them.
    for (let i = 0; i < 1_500; i++) insert.run(Buffer.alloc(3_000, i % 251));
    const [log] = sqlite.pragma("wal_checkpoint(PASSIVE)") as Array<{ log: number }>;
    expect(log!.log).toBeGreaterThan(1_500);
    expect(log!.log).toBeLessThan(WAL_CHECKPOINT_PAGES);
  });
});
