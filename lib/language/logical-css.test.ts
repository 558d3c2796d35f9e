/**
 * Nothing in the pages' layout may assume left-to-right, so that a right-to-left language is only a catalogue:
 * the stylesheets and the pages' inline styles use logical properties (margin-inline-start, text-align: start…).
 * Emails are not covered: many mail programs do not understand logical properties.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const appFolder = fileURLToPath(new URL("../../app/", import.meta.url));

function filesUnder(folder: string, ending: RegExp): string[] {
  return readdirSync(folder, { recursive: true, encoding: "utf8" })
    .filter((name) => ending.test(name))
    .map((name) => path.join(folder, name));
}

/** The physical spellings in a stylesheet or a style={{…}} object, one line each. */
function physicalDirections(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(margin|padding|border|inset)-(left|right)\b/,
    /\b(margin|padding|border)(Left|Right)\b/,
    /\btext-align\s*:\s*(left|right)\b/,
    /\btextAlign\s*:\s*["'](left|right)["']/,
    /\bfloat\s*:\s*["']?(left|right)\b/,
    /(^|[\s;{,])(left|right)\s*:/,
  ];
  for (const line of text.split("\n")) {
    if (patterns.some((pattern) => pattern.test(line))) found.push(line.trim());
  }
  return found;
}

describe("physicalDirections", () => {
  it.each([
    ["margin-left: 1rem;", true],
    ["  padding-right: 0", true],
    ["text-align: right;", true],
    ["float: left;", true],
    ["  left: 0;", true],
    ["{ paddingLeft: 4 }", true],
    ['{ textAlign: "left" }', true],
    ["margin-inline-start: 1rem;", false],
    ["text-align: start;", false],
    ["inset-inline-end: 0;", false],
    ["/* the days left */ color: red;", false],
  ])("%s → %s", (line, physical) => {
    expect(physicalDirections(line).length > 0).toBe(physical);
  });
});

describe("the pages' layout", () => {
  it.each(filesUnder(appFolder, /\.css$/).map((file) => [path.relative(appFolder, file), file]))(
    "app/%s uses logical properties only",
    (_name, file) => {
      expect(physicalDirections(readFileSync(file, "utf8"))).toEqual([]);
    },
  );

  it("no page or component sets a physical direction in an inline style", () => {
    const offenders = filesUnder(appFolder, /\.tsx$/).flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/style=\{\{([^}]*)\}\}/g)]
        .flatMap((match) => physicalDirections(match[1] ?? ""))
        .map((line) => `${path.relative(appFolder, file)}: ${line}`),
    );
    expect(offenders).toEqual([]);
  });
});
