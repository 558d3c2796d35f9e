import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loopsOf, readLayers, topLevel } from "./lib/layers";

const graph = (edges: Record<string, string[]>) => new Map(Object.entries(edges).map(([from, tos]) => [from, new Set(tos)]));

describe("loopsOf", () => {
  it.each<[string, Record<string, string[]>, string[][]]>([
    ["a line", { a: ["b"], b: ["c"], c: [] }, []],
    ["two that import each other", { a: ["b"], b: ["a"] }, [["a", "b"]]],
    ["a loop through a third", { a: ["b"], b: ["c"], c: ["a"], d: ["a"] }, [["a", "b", "c"]]],
    ["a node importing itself", { a: ["a"], b: [] }, [["a"]]],
    ["two separate loops", { a: ["b"], b: ["a"], c: ["d"], d: ["c"] }, [["a", "b"], ["c", "d"]]],
  ])("%s", (_name, edges, loops) => {
    expect(loopsOf(graph(edges)).sort()).toEqual(loops);
  });

  it("counts folders by their top-level folder", () => {
    const merged = topLevel(graph({ "lib/requests/intake": ["lib/requests/lifecycle", "lib/mail"], "lib/mail": ["lib/requests/lifecycle"] }));
    expect(loopsOf(merged)).toEqual([["lib/mail", "lib/requests"]]);
  });
});

describe("the layers of lib/", () => {
  it("import in one direction only: no loop between folders, at either depth, and no circle between files", async () => {
    const layers = await readLayers(fileURLToPath(new URL("../", import.meta.url)));
    // The reading itself is sound: the folders are there and depend on the ones below them.
    expect(layers.folders.get("lib/requests/intake")).toContain("lib/requests/lifecycle");
    expect(layers.folders.get("lib/mail")).toContain("lib/vocabulary");
    expect(layers.folderLoops).toEqual([]);
    expect(loopsOf(topLevel(layers.folders))).toEqual([]);
    expect(layers.fileCircles).toEqual([]);
  });
});
