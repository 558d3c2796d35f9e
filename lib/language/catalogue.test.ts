/**
 * The catalogues agree with each other and with the code: every language
 * has exactly the keys English has, each message says the same placeholders
 * (and tags) as its English original, and every key is used somewhere in
 * the code, so a sentence nobody shows anymore does not linger in four
 * languages.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { describe, expect, it } from "vitest";
import { REQUEST_TYPES } from "@/db/schema";
import { REQUEST_TYPE_INFO } from "@/lib/vocabulary/request-types";
import { CATALOGUES, wordsFor } from "./catalogue";
import { BASE_LANGUAGE, LANGUAGES } from "./languages";

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(full, value);
    else for (const [k, v] of flatten(value, full)) out.set(k, v);
  }
  return out;
}

const KINDS: Partial<Record<TYPE, string>> = {
  [TYPE.argument]: "value",
  [TYPE.number]: "number",
  [TYPE.date]: "date",
  [TYPE.time]: "time",
  [TYPE.select]: "select",
  [TYPE.plural]: "plural",
  [TYPE.tag]: "tag",
};

/** The placeholders and tags a message uses, each with its kind: "value:email", "plural:days", "tag:link". */
export function placeholdersOf(message: string): string[] {
  const found = new Set<string>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      const kind = KINDS[element.type];
      if (kind && "value" in element) found.add(`${kind}:${element.value}`);
      if (element.type === TYPE.tag) walk(element.children);
      if (element.type === TYPE.plural || element.type === TYPE.select) for (const option of Object.values(element.options)) walk(option.value);
    }
  };
  walk(parse(message));
  return [...found].sort();
}

const ENGLISH = flatten(CATALOGUES[BASE_LANGUAGE] as Tree);
const OTHERS = LANGUAGES.filter((l) => l !== BASE_LANGUAGE);

describe("the catalogues", () => {
  it.each(OTHERS)("%s has every key English has, and no other", (language) => {
    const keys = flatten(CATALOGUES[language] as Tree);
    expect([...ENGLISH.keys()].filter((k) => !keys.has(k)), "missing").toEqual([]);
    expect([...keys.keys()].filter((k) => !ENGLISH.has(k)), "not in English").toEqual([]);
  });

  it.each(LANGUAGES)("every message in %s is well formed and has the placeholders of its English original", (language) => {
    const differing: string[] = [];
    for (const [key, message] of flatten(CATALOGUES[language] as Tree)) {
      const english = ENGLISH.get(key);
      if (english === undefined) continue;
      const mine = placeholdersOf(message).join(" ");
      const theirs = placeholdersOf(english).join(" ");
      if (mine !== theirs) differing.push(`${key}: ${mine || "(none)"} where English has ${theirs || "(none)"}`);
    }
    expect(differing).toEqual([]);
  });

  it.each(OTHERS)("%s is translated: no sentence is left as the English one", (language) => {
    // Words that read the same in both (a code, a name) are few and short; a sentence left in English is not.
    const same = [...flatten(CATALOGUES[language] as Tree)].filter(([key, message]) => message === ENGLISH.get(key) && message.split(" ").length > 2);
    expect(same.map(([key]) => key)).toEqual([]);
  });

  it("finds a placeholder that went missing, or changed kind, in a translation", () => {
    expect(placeholdersOf("{n, plural, one {# day} other {# days}} left for {email}")).toEqual(["plural:n", "value:email"]);
    expect(placeholdersOf("<link>See {what}</link>")).toEqual(["tag:link", "value:what"]);
    // A straight apostrophe before a brace quotes it: the placeholder is gone, which the comparison then reports.
    expect(placeholdersOf("l'{what}")).toEqual([]);
  });

  it("names each request type in English as the staff pages do, so staff and supporters speak of the same thing", () => {
    for (const type of REQUEST_TYPES) {
      expect(CATALOGUES.en.requestTypes[type].label).toBe(REQUEST_TYPE_INFO[type].label);
      expect(CATALOGUES.en.requestTypes[type].ask).toBe(REQUEST_TYPE_INFO[type].ask);
    }
  });

  it("renders in every language", () => {
    for (const language of LANGUAGES) {
      expect(wordsFor(language)("deadline.left", { days: 3 })).toMatch(/3/);
      expect(wordsFor(language)("fieldProblems.tooLong", { what: "X", max: 2000 })).toMatch(/2[\s,.\u202f\u00a0]?000/);
    }
  });
});

/** Source files that may read the catalogues. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "node_modules" || name.startsWith(".") ? [] : sourceFiles(full);
    return /\.(ts|tsx)$/.test(name) && !/\.(test|spec)\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [full] : [];
  });
}

type FileWords = { literals: Set<string>; patterns: RegExp[] };

/**
 * The strings a file holds: its quoted literals, and its template literals
 * as patterns in which each `${…}` stands for one segment of a key.
 */
function wordsOf(source: string): FileWords {
  const literals = new Set<string>();
  for (const match of source.matchAll(/"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'/g)) literals.add(match[1] ?? match[2] ?? "");
  const patterns: RegExp[] = [];
  for (const match of source.matchAll(/`((?:[^`\\]|\\.)*)`/g)) {
    const template = match[1] ?? "";
    if (!template.includes("${")) {
      literals.add(template);
      continue;
    }
    const parts = template.split(/\$\{[^}]*\}/);
    // Only a template that spells part of a key: `${type}.label` is one, `${payload}.${signature}` is not.
    if (parts.every((part) => /^[A-Za-z0-9_.]*$/.test(part)) && /[A-Za-z]/.test(parts.join(""))) {
      patterns.push(new RegExp(`^${parts.map((part) => part.replace(/\./g, "\\.")).join("[A-Za-z0-9_]+")}$`));
    }
  }
  return { literals, patterns };
}

/** A key is used when one file names it whole, or names a namespace it is under and the rest of it (or a pattern for the rest). */
function isUsed(key: string, files: FileWords[]): boolean {
  const segments = key.split(".");
  return files.some(({ literals, patterns }) => {
    for (let cut = 0; cut < segments.length; cut++) {
      const namespace = segments.slice(0, cut).join(".");
      const rest = segments.slice(cut).join(".");
      if (cut > 0 && !literals.has(namespace)) continue;
      if (literals.has(rest) || patterns.some((pattern) => pattern.test(rest))) return true;
    }
    return false;
  });
}

describe("the code and the catalogues", () => {
  const root = path.resolve(__dirname, "../..");
  const files = ["app", "lib", "server"].flatMap((dir) => sourceFiles(path.join(root, dir))).map((file) => wordsOf(readFileSync(file, "utf8")));

  it("uses every key of the catalogues", () => {
    expect([...ENGLISH.keys()].filter((key) => !isUsed(key, files))).toEqual([]);
  });

  it("notices a key nobody uses", () => {
    const sample = wordsOf(`const t = useTranslations("home"); t("heading"); words(\`requestTypes.\${type}.label\`);`);
    expect(isUsed("home.heading", [sample])).toBe(true);
    expect(isUsed("requestTypes.access.label", [sample])).toBe(true);
    expect(isUsed("home.lede", [sample])).toBe(false);
    expect(isUsed("requestTypes.access.ask", [sample])).toBe(false);
    expect(isUsed("other.heading", [sample])).toBe(false);
    // A template of nothing but placeholders names no key.
    expect(isUsed("home.lede", [wordsOf("const signed = `${payload}.${signature}`;")])).toBe(false);
  });
});
