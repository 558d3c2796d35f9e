import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ImportRecord } from "./parse-rows";
import Database from "better-sqlite3";
import { suppressionHash } from "../suppression";
import { keptRecord, keptTable, Staging, sweepLeftScratch } from "./staging";

const SECRET = "test-secret-for-the-scratch-file";

/** The id of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

describe("the import's scratch folder", () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "staging-test-"));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it.each([
    ["a killed import's folder (its process is gone): deleted", () => `rightsdesk-import-${deadPid()}-abc123`, false],
    ["a running import's folder (this process): kept", () => `rightsdesk-import-${process.pid}-abc123`, true],
    ["a folder of something else: kept", () => "rightsdesk-import-notes", true],
    ["another program's folder: kept", () => "other-1-abc", true],
  ])("%s", (_what, name, kept) => {
    const folder = path.join(root, name());
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, "staging.db"), "x");
    sweepLeftScratch(root);
    expect(fs.existsSync(folder)).toBe(kept);
  });

  it("is made beside what it sweeps, and gone once closed", () => {
    const left = path.join(root, `rightsdesk-import-${deadPid()}-left`);
    fs.mkdirSync(left);
    const staging = new Staging(SECRET, root);
    expect(fs.existsSync(left)).toBe(false);
    const mine = fs.readdirSync(root);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatch(new RegExp(`^rightsdesk-import-${process.pid}-`));
    staging.close();
    expect(fs.readdirSync(root)).toEqual([]);
  });
});

describe("records kept in the scratch file", () => {
  const at = new Date("2025-03-01T09:30:00.250Z");
  // One record of each kind, every field filled, and again with every optional field empty.
  const RECORDS: ImportRecord[] = [
    { kind: "supporter", externalId: "S-1", email: "ada@example.org", name: "Ada", postalAddress: "1 Street\nLondon", phone: "+44 20" },
    { kind: "supporter", externalId: "S-2", email: "bob@example.org", name: null, postalAddress: null, phone: null },
    { kind: "donation", externalId: "D-1", supporterExternalId: "S-1", amountMinor: 2500, currency: "GBP", donatedOn: "2025-03-01", method: "card", cardLast4: "4242" },
    { kind: "donation", externalId: "D-2", supporterExternalId: "S-2", amountMinor: 1, currency: "JPY", donatedOn: "2025-03-01", method: "cash", cardLast4: null },
    { kind: "membership", externalId: "M-1", supporterExternalId: "S-1", plan: "Standard", startedOn: "2024-01-01", endsOn: "2026-01-01", status: "active" },
    { kind: "membership", externalId: "M-2", supporterExternalId: "S-1", plan: "Life", startedOn: "2024-01-01", endsOn: null, status: "active" },
    { kind: "subscription", externalId: "L-1", supporterExternalId: "S-1", list: "newsletter", subscribedAt: at, unsubscribedAt: new Date(at.getTime() + 1) },
    { kind: "subscription", externalId: "L-2", supporterExternalId: "S-1", list: "appeals", subscribedAt: at, unsubscribedAt: null },
    { kind: "petition_signature", externalId: "P-1", supporterExternalId: "S-1", petition: "Rivers", signedAt: at, comment: "Yes\nreally, \"quoted\"" },
    { kind: "petition_signature", externalId: "P-2", supporterExternalId: "S-1", petition: "Rivers", signedAt: at, comment: null },
    { kind: "correspondence", externalId: "C-1", supporterExternalId: "S-1", at, direction: "in", channel: "email", subject: "Hi", body: "Body" },
    { kind: "correspondence", externalId: "C-2", supporterExternalId: "S-1", at, direction: "out", channel: "letter", subject: null, body: "Body" },
    { kind: "web_visit", externalId: "W-1", supporterExternalId: "S-1", at, ipAddress: "2001:db8::1", userAgent: "Firefox", page: "/donate", referrer: "https://example.net/" },
    { kind: "web_visit", externalId: "W-2", supporterExternalId: "S-1", at, ipAddress: "203.0.113.5", userAgent: null, page: "/", referrer: null },
  ];

  /** Each record read back from the scratch file's table of its kind, with the line it was kept under, in the table's order. */
  function keptBack(staging: Staging, records: readonly ImportRecord[]): Array<{ line: number; record: ImportRecord }> {
    const file = new Database(staging.file, { readonly: true });
    try {
      const kinds = [...new Set(records.map((r) => r.kind))];
      return kinds.flatMap((kind) =>
        (file.prepare(`select * from ${keptTable(kind)} order by line`).all() as Array<Record<string, unknown> & { line: number }>).map((row) => ({
          line: row.line,
          record: keptRecord(kind, row),
        })),
      );
    } finally {
      file.close();
    }
  }

  it.each(RECORDS.map((r) => [`${r.kind} ${r.externalId}`, r] as const))("come back as they went in: %s", (_name, record) => {
    const staging = new Staging(SECRET);
    try {
      staging.batch(() => staging.addRow(7, record.kind, record.externalId, record.kind === "supporter" ? null : record.supporterExternalId, record));
      expect(keptBack(staging, [record])).toEqual([{ line: 7, record }]);
      expect(staging.records).toBe(1);
    } finally {
      staging.close();
    }
  });

  // Kept a hundred of a kind to an insert: counts of each kind either side of a hundred and of two, over batches of several sizes.
  it.each([
    ["one of each kind, one batch", [RECORDS.length], 1],
    ["99 of each kind, one batch", [99 * RECORDS.length], 99],
    ["100 of each kind, in batches of 7 rows", Array.from({ length: Math.ceil((100 * RECORDS.length) / 7) }, (_, i) => Math.min(7, 100 * RECORDS.length - i * 7)), 100],
    ["101 of each kind, one batch", [101 * RECORDS.length], 101],
    ["250 of each kind, in batches of 1000 and the rest", [1000, 250 * RECORDS.length - 1000], 250],
  ] as const)("every one comes back, in the file's order: %s", (_what, batchSizes, each) => {
    const staging = new Staging(SECRET);
    try {
      const all = Array.from({ length: each * RECORDS.length }, (_, i) => {
        const record = RECORDS[i % RECORDS.length]!;
        return { line: i + 2, record: { ...record, externalId: `${record.externalId}-${i}` } as ImportRecord };
      });
      let next = 0;
      for (const size of batchSizes) {
        staging.batch(() => {
          for (const { line, record } of all.slice(next, next + size)) staging.addRow(line, record.kind, record.externalId, record.kind === "supporter" ? null : record.supporterExternalId, record);
        });
        next += size;
      }
      expect(next).toBe(all.length);
      const kinds = [...new Set(RECORDS.map((r) => r.kind))];
      expect(keptBack(staging, RECORDS)).toEqual(kinds.flatMap((kind) => all.filter((e) => e.record.kind === kind)));
      expect(staging.records).toBe(all.length);
      expect([...staging.reusedIds()]).toEqual([]);
    } finally {
      staging.close();
    }
  });

  it("a batch that fails keeps none of its records, and the next batch keeps only its own", () => {
    const staging = new Staging(SECRET);
    try {
      const [first, second] = [RECORDS[2]!, RECORDS[3]!];
      const add = (line: number, record: ImportRecord) => staging.addRow(line, record.kind, record.externalId, record.kind === "supporter" ? null : record.supporterExternalId, record);
      expect(() =>
        staging.batch(() => {
          add(2, first);
          throw new Error("the file could not be read further");
        }),
      ).toThrow("the file could not be read further");
      staging.batch(() => add(3, second));
      expect(keptBack(staging, [second])).toEqual([{ line: 3, record: second }]);
    } finally {
      staging.close();
    }
  });

  it("come back each kind in the file's order, a supporter with its address's suppression hash", () => {
    const staging = new Staging(SECRET);
    try {
      staging.batch(() => RECORDS.forEach((record, i) => staging.addRow(100 - i, record.kind, record.externalId, record.kind === "supporter" ? null : record.supporterExternalId, record)));
      const back = keptBack(staging, RECORDS);
      // Kinds in RECORDS' order; within each, the file's order (the lines were given backwards).
      const kept = RECORDS.map((record, i) => ({ line: 100 - i, record }));
      const kinds = [...new Set(RECORDS.map((r) => r.kind))];
      expect(back).toEqual(kinds.flatMap((kind) => kept.filter((e) => e.record.kind === kind).sort((a, b) => a.line - b.line)));
      expect(staging.records).toBe(RECORDS.length);
      const file = new Database(staging.file, { readonly: true });
      const hashes = file.prepare("select email, suppression_hash as hash from supporter_rows order by line").all();
      file.close();
      expect(hashes).toEqual(
        RECORDS.filter((r) => r.kind === "supporter")
          .reverse()
          .map((r) => ({ email: r.email, hash: suppressionHash(r.email, SECRET) })),
      );
    } finally {
      staging.close();
    }
  });
});
