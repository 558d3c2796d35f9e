import { describe, expect, it } from "vitest";
import { decodeImportFile, importFilename, MAX_IMPORT_BYTES, parseImportForm } from "./import-form";

const EIGHT_MB = 8 * 1024 * 1024;

/** A file of exactly `bytes` bytes of CSV lines ending in LF. */
function lfFile(bytes: number, name = "crm.csv"): File {
  const line = "supporter,S-1,ada@example.org,Ada\n";
  const text = line.repeat(Math.floor(bytes / line.length)).padEnd(bytes, "x");
  return new File([text], name, { type: "text/csv" });
}

describe("parseImportForm", () => {
  it("counts the file's own bytes: a file of just under 8 MB with LF line ends is accepted, whatever CRLF would make of it", () => {
    const file = lfFile(EIGHT_MB - 100 * 1024);
    const lines = Math.floor(file.size / 35);
    expect(file.size + lines).toBeGreaterThan(EIGHT_MB);
    expect(parseImportForm({}, null, { file })).toMatchObject({ ok: true, value: { filename: "crm.csv" } });
  });

  it.each<[string, Record<string, File>, string]>([
    ["one byte over 8 MB", { file: lfFile(MAX_IMPORT_BYTES + 1) }, "The file is larger than 8 MB"],
    // A chosen file that is empty is said to be, in the words and with the line `npm run import` gives for it.
    ["an empty file", { file: new File([], "empty.csv") }, "Line 1: the file is empty; the first line must be the header."],
    ["no file", {}, "Choose a CSV file to import."],
    // What a browser sends when no file was chosen.
    ["a nameless empty file", { file: new File([], "") }, "Choose a CSV file to import."],
  ])("refuses %s", (_, files, message) => {
    expect(parseImportForm({ csv: "kind,external_id\nsupporter,S-1" }, null, files)).toEqual({ ok: false, fieldErrors: { file: expect.stringContaining(message) } });
  });

  it("accepts exactly 8 MB, and keeps only safe characters of the name", () => {
    expect(parseImportForm({}, null, { file: lfFile(MAX_IMPORT_BYTES, "../../etc/<crm>.csv") })).toMatchObject({ ok: true, value: { filename: ".._.._etc__crm_.csv" } });
  });
});

describe("decodeImportFile", () => {
  it.each<[string, number[], boolean]>([
    ["UTF-8", [...Buffer.from("kind,name\nsupporter,Zoë\n")], true],
    ["UTF-8 with a byte-order mark", [0xef, 0xbb, 0xbf, ...Buffer.from("kind\n")], true],
    ["Latin-1", [...Buffer.from("kind,name\nsupporter,Zo", "latin1"), 0xeb, 0x0a], false],
  ])("%s: %s", (_, bytes, ok) => {
    const decoded = decodeImportFile(new Uint8Array(bytes));
    expect(decoded.ok).toBe(ok);
    if (!decoded.ok) expect(decoded.fieldErrors.file).toContain("not UTF-8");
  });
});

describe("importFilename", () => {
  it.each([
    // Supporters read it in their export ("import: …"): a French or Polish file's name stays as it was written.
    ["Adhérents été 2025.csv", "Adhérents été 2025.csv"],
    ["Darczyńcy (Łódź) – 2025.csv", "Darczyńcy (Łódź) _ 2025.csv"],
    ["Spender_März.csv".normalize("NFD"), "Spender_März.csv"],
    ["../../etc/<crm>.csv", ".._.._etc__crm_.csv"],
    ["a\nb\u202Ecsv.exe", "a_b_csv.exe"],
    ["   ", "upload.csv"],
  ])("%j → %j", (name, recorded) => {
    expect(importFilename(name)).toBe(recorded);
  });
});
