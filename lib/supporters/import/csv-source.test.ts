import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countRecords, CsvFileProblem, fileSource, textSource } from "./csv-source";
import { csvRows, type CsvRow } from "@/lib/testing/import-rows";
import { NOT_CSV, NOT_UTF8, UTF16 } from "./file-kind";

// Quoted fields with commas, doubled quotes and line breaks (LF and CRLF inside quotes), empty lines, a byte-order mark,
// and letters of two, three and four bytes, so pieces of the file end inside every kind of thing.
const TEXT =
  "\uFEFFkind,external_id,name,postal_address\n" +
  Array.from({ length: 60 }, (_, i) =>
    i % 3 === 0
      ? `supporter,S-${i},"Zoë ""Z"" Ødegård, ${i}","${i} Rue d’Été\r\nParis 🇫🇷"\n`
      : i % 3 === 1
        ? `supporter,S-${i},Ada ${i},\n\n`
        : `supporter,S-${i},"Łucja, ${i}","Flat ${i}\nul. Długa\n00-001"\n`,
  ).join("");

function rowsOf(source: Parameters<typeof csvRows>[0], batchChars?: number): CsvRow[] {
  return [...csvRows(source, { batchChars })];
}

describe("reading an import file a piece at a time", () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "csv-source-"));
    file = path.join(dir, "file.csv");
    fs.writeFileSync(file, TEXT);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads the whole text as it should: rows, cells and the lines they start on", () => {
    const rows = rowsOf(textSource(TEXT));
    expect(rows).toHaveLength(60);
    expect(rows[0]).toEqual({ line: 2, cells: { kind: "supporter", external_id: "S-0", name: 'Zoë "Z" Ødegård, 0', postal_address: "0 Rue d’Été\r\nParis 🇫🇷" } });
    // Row 1 starts on line 4 (row 0 spans two); row 2 follows an empty line.
    expect(rows.slice(1, 4).map((r) => r.line)).toEqual([4, 6, 9]);
  });

  it.each([
    [1, 1],
    [2, 5],
    [3, 64],
    [7, 1],
    [64, 100],
    [1000, 37],
    [4096, 1 << 20],
    [1 << 20, 256 * 1024],
  ])("chunks of %i bytes, batches of %i characters: the same rows and lines as the whole text", (chunkBytes, batchChars) => {
    expect(rowsOf(fileSource(file, chunkBytes), batchChars)).toEqual(rowsOf(textSource(TEXT)));
  });

  it.each([
    ["CRLF", "\r\n"],
    ["a bare CR", "\r"],
  ])("lines ending in %s: the same rows, each on its line, however the file is cut", (_what, end) => {
    // Every line feed but the CRLF inside row 0's quotes.
    const text = TEXT.replace(/(?<!\r)\n/g, end);
    const other = path.join(dir, "ends.csv");
    fs.writeFileSync(other, text);
    const whole = rowsOf(textSource(TEXT));
    for (const [chunkBytes, batchChars] of [
      [1, 1],
      [7, 50],
      [1 << 20, 256 * 1024],
    ] as const) {
      const rows = rowsOf(fileSource(other, chunkBytes), batchChars);
      expect(rows.map((r) => r.line)).toEqual(whole.map((r) => r.line));
      expect(rows.map((r) => r.cells.external_id)).toEqual(whole.map((r) => r.cells.external_id));
      expect(rows[2]!.cells.postal_address).toBe(`Flat 2${end}ul. Długa${end}00-001`);
    }
  });

  it("cuts batches only outside quotes, however many quoted fields a line holds", () => {
    const header = "kind,external_id,name,postal_address\n";
    const body = Array.from({ length: 40 }, (_, i) => `supporter,"S-${i}","A\n""${i}""","${"x,\n".repeat(i % 5)}"\n`).join("");
    const file2 = path.join(dir, "quotes.csv");
    fs.writeFileSync(file2, header + body);
    const whole = rowsOf(textSource(header + body));
    expect(whole).toHaveLength(40);
    expect(whole[1]).toEqual({ line: 4, cells: { kind: "supporter", external_id: "S-1", name: 'A\n"1"', postal_address: "x,\n" } });
    for (const [chunkBytes, batchChars] of [
      [1, 1],
      [3, 17],
      [64, 64],
    ] as const) {
      expect(rowsOf(fileSource(file2, chunkBytes), batchChars)).toEqual(whole);
    }
  });

  // Each line of most files is cut at its delimiters without csv-parse; these give the same rows, lines and problems as
  // csv-parse reading every batch whole (as it did before), with lines ending in LF and in CRLF.
  const READINGS: Array<[string, string]> = [
    ["plain rows, an empty line and a row of empty cells", "kind,external_id,name\nsupporter,S-1,Ada\n\nsupporter,S-2,\n,,\nsupporter,S-3,Bo\n"],
    ["no line end after the last row", "kind,external_id,name\nsupporter,S-1,Ada"],
    ["a byte-order mark, semicolons", "\uFEFFkind;external_id;name\nsupporter;S-1;\"A;da\"\n"],
    ["a quoted header, tabs", '"kind"\t"external_id"\t"name"\nsupporter\tS-1\t"x\ty"\n'],
    ["quoted fields first, last, empty, with doubled quotes and line breaks", 'kind,external_id,name,postal_address\n"supporter",S-1,"","a ""b""\nc"\nsupporter,"S-2",,""\nsupporter,S-3,"""","x,""\n\n"",y"\n'],
    ["a quoted field after an empty one, then an empty last field", 'kind,external_id,name,postal_address\nsupporter,,"Ada",\nsupporter,S-2,"Bo",\n'],
    ["a quote inside a plain field", 'kind,external_id,name\nsupporter,S-1,Ada\nsupporter,S-2,Ada "Countess" L\n'],
    ["text after a closing quote", 'kind,external_id,name\nsupporter,S-1,Ada\nsupporter,S-2,"Ada" Lovelace\n'],
    ["a space before an opening quote", 'kind,external_id,name\nsupporter,S-1, "Ada"\n'],
    ["a quote never closed, with rows after", 'kind,external_id,name\nsupporter,S-1,Ada\nsupporter,S-2,"Ada\nsupporter,S-3,Bo\n'],
    ["too many fields after a quoted row", 'kind,external_id,name\nsupporter,S-1,"A\nB"\nsupporter,S-2,Bo,x\n'],
    ["too few fields in a quoted row", 'kind,external_id,name\nsupporter,"S-1"\n'],
    ["a quoted field of a header broken", 'kind,"external_id" x,name\nsupporter,S-1,Ada\n'],
  ];
  const reading = (text: string, options: { batchChars?: number; onlyCsvParse?: boolean }) => {
    try {
      return { rows: [...csvRows(textSource(text), options)] };
    } catch (error) {
      if (error instanceof CsvFileProblem) return { problem: error.problem };
      throw error;
    }
  };
  it.each(READINGS.flatMap(([what, text]) => [[`${what} (LF)`, text] as const, [`${what} (CRLF)`, text.replace(/\n/g, "\r\n")] as const]))(
    "reads as csv-parse alone does: %s",
    (_what, text) => {
      for (const batchChars of [1, 7, 256 * 1024]) {
        expect(reading(text, { batchChars })).toEqual(reading(text, { batchChars, onlyCsvParse: true }));
      }
    },
  );

  it.each<[string, string, number]>([
    ["lines ending in LF", "h\na\nb\n", 2],
    ["lines ending in CRLF, the last without", "h\r\na\r\nb", 2],
    ["lines ending in a bare CR", "h\ra\rb\r", 2],
    ["empty lines, and lines of byte-order marks only", "\uFEFFh\n\n\uFEFF\n\r\na\n\n", 1],
    ["line ends inside quotes", 'h\n"a\nb",c\n\n\nd\n"x\r\ny"\r\n', 3],
    ["doubled quotes with line ends between", 'h\n"a""\r\n""b"\r\nc\n', 2],
    ["a row of empty fields (counted: it is not parsed here)", "h,i\n,\nz,y", 2],
    ["a quote never closed", 'h\n"never closed\nx\n', 1],
    ["the header alone", "h", 0],
    ["nothing", "", 0],
  ])("counts the records of %s, wherever the chunks fall", (_what, text, expected) => {
    for (const size of [1, 2, 3, 1000]) {
      const chunks = Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
      expect(countRecords({ bytes: text.length, chunks: () => chunks }), `chunks of ${size}`).toBe(expected);
    }
  });

  it.each([1, 3, 4096])("counts the records without parsing them (chunks of %i bytes)", (chunkBytes) => {
    expect(countRecords(fileSource(file, chunkBytes))).toBe(60);
  });

  it.each([
    ["a row with too many fields after many good ones", `${TEXT}supporter,S-x,a,b,c\n`, 142],
    ["a quote never closed", `${TEXT}supporter,"S-x,a,b\nsupporter,S-y,c,d\n`, 142],
  ])("names the line of a broken row wherever the batches fall: %s", (_what, text, line) => {
    const broken = path.join(dir, "broken.csv");
    fs.writeFileSync(broken, text);
    for (const [chunkBytes, batchChars] of [
      [1, 1],
      [7, 50],
      [1 << 20, 1 << 20],
    ] as const) {
      let problem: unknown;
      try {
        rowsOf(fileSource(broken, chunkBytes), batchChars);
      } catch (error) {
        problem = error;
      }
      expect(problem).toBeInstanceOf(CsvFileProblem);
      expect((problem as CsvFileProblem).problem.line).toBe(line);
    }
  });

  // Spreadsheets' other ways of saving a file: read as UTF-8 these would be letters that are not there (Zo\uFFFD), stored as if typed.
  const LATIN1 = Buffer.concat([Buffer.from("kind,external_id,email,name\r\nsupporter,S-1,ada@example.org,Ada\r\n"), Buffer.from("supporter,S-2,zoe@example.org,Zoë Brontë\r\n", "latin1")]);
  const UTF16_TEXT = "kind,external_id,email\r\nsupporter,S-1,ada@example.org\r\n";
  const utf16be = (text: string) => Buffer.from(text, "utf16le").swap16();
  it.each<[string, Buffer, { line: number; reason: string }]>([
    ["Windows-1252 (Excel's plain CSV), the bad byte on line 3", LATIN1, { line: 3, reason: NOT_UTF8 }],
    ["Windows-1252 after 200 good lines, and a quoted line break", Buffer.concat([Buffer.from(`kind,external_id,email,postal_address\n${'supporter,S,a@example.org,"1 Street\nTown"\n'.repeat(100)}`), Buffer.from("supporter,S-2,z@example.org,Müllerstraße\n", "latin1")]), { line: 202, reason: NOT_UTF8 }],
    ["a last character cut short", Buffer.concat([Buffer.from("kind,external_id\nsupporter,S-1\n"), Buffer.from([0xc3])]), { line: 3, reason: NOT_UTF8 }],
    ["a character cut short before the next", Buffer.concat([Buffer.from("kind,external_id\nsupporter,S-1\nsupporter,Zo"), Buffer.from([0xe2, 0x82]), Buffer.from("y\n")]), { line: 3, reason: NOT_UTF8 }],
    ["a byte no character starts with, last", Buffer.concat([Buffer.from("kind,external_id\nsupporter,S-1\n"), Buffer.from([0xff])]), { line: 3, reason: NOT_UTF8 }],
    ["a surrogate written as UTF-8 (CESU-8)", Buffer.concat([Buffer.from("kind,external_id\nsupporter,"), Buffer.from([0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]), Buffer.from("\n")]), { line: 2, reason: NOT_UTF8 }],
    ["UTF-16 with its byte-order mark (Excel's Unicode Text)", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(UTF16_TEXT, "utf16le")]), { line: 1, reason: UTF16 }],
    ["UTF-16, big-endian", Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(UTF16_TEXT)]), { line: 1, reason: UTF16 }],
    ["UTF-16 without a byte-order mark", Buffer.from(UTF16_TEXT, "utf16le"), { line: 1, reason: UTF16 }],
    ["a workbook (.xlsx) renamed .csv", Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from("\x14\x00\x06\x00[Content_Types].xml")]), { line: 1, reason: NOT_CSV }],
    ["an old workbook (.xls) renamed .csv", Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0]), { line: 1, reason: NOT_CSV }],
  ])("refuses a file that is not UTF-8 text, naming the line, however it is cut: %s", (_what, bytes, expected) => {
    const other = path.join(dir, "encoded.csv");
    fs.writeFileSync(other, bytes);
    for (const chunkBytes of [1, 5, 1 << 20]) {
      for (const read of [() => rowsOf(fileSource(other, chunkBytes)), () => countRecords(fileSource(other, chunkBytes))]) {
        let problem: unknown;
        try {
          read();
        } catch (error) {
          problem = error;
        }
        expect(problem, `chunks of ${chunkBytes}`).toBeInstanceOf(CsvFileProblem);
        expect((problem as CsvFileProblem).problem).toEqual(expected);
      }
    }
  });

  it("reads UTF-8 with its byte-order mark and every kind of letter, cut anywhere, as it is", () => {
    const text = "\uFEFFkind,external_id,name\r\nsupporter,S-1,Zoë Ødegård 🇫🇷 Łucja\r\n";
    const other = path.join(dir, "utf8.csv");
    fs.writeFileSync(other, text);
    for (const chunkBytes of [1, 2, 3, 1 << 20]) {
      expect(rowsOf(fileSource(other, chunkBytes))).toEqual([{ line: 2, cells: { kind: "supporter", external_id: "S-1", name: "Zoë Ødegård 🇫🇷 Łucja" } }]);
    }
  });
});
