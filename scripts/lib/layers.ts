/**
 * How the code under lib/ depends on itself, read by dependency-cruiser
 * from the imports as TypeScript resolves them (the "@/" alias included,
 * type-only imports too): the loops between folders and the circles
 * between files. `npm run check:layers` prints them; a test keeps both empty.
 */
import path from "node:path";
import { cruise } from "dependency-cruiser";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";

export type Layers = {
  /** Every folder of lib/ that holds code, and the folders each imports from. */
  folders: Map<string, Set<string>>;
  /** Groups of folders that reach each other through their imports (each group a loop). */
  folderLoops: string[][];
  /** Groups of files that reach each other through their imports. */
  fileCircles: string[][];
};

const CODE = /\.(ts|tsx)$/;
const NOT_CODE = /(\.test\.ts|\.spec\.ts|\.d\.ts)$/;

/** The groups of a graph's nodes that reach each other (Tarjan's strongly connected components), bigger than one. */
export function loopsOf(graph: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const loops: string[][] = [];
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      for (;;) {
        const member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
        if (member === node) break;
      }
      // A node importing itself is a loop of one.
      if (group.length > 1 || graph.get(node)?.has(node)) loops.push(group.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return loops;
}

/** The folder graph and file graph of lib/ in the checkout at `root`. */
export async function readLayers(root: string): Promise<Layers> {
  const previous = process.cwd();
  process.chdir(root);
  try {
    const result = await cruise(
      ["lib"],
      {
        tsPreCompilationDeps: true,
        tsConfig: { fileName: "tsconfig.json" },
        exclude: { path: "(^|/)node_modules/|\\.test\\.tsx?$|\\.spec\\.tsx?$" },
        doNotFollow: { path: "node_modules" },
      },
      { extensions: [".ts", ".tsx", ".js", ".mjs", ".json"] },
      { tsConfig: extractTSConfig(path.join(root, "tsconfig.json")) },
    );
    if (typeof result.output === "string") throw new Error(`dependency-cruiser answered with text: ${result.output.slice(0, 200)}`);
    const files = new Map<string, Set<string>>();
    const folders = new Map<string, Set<string>>();
    for (const module of result.output.modules) {
      const from = module.source;
      if (!from.startsWith("lib/") || !CODE.test(from) || NOT_CODE.test(from)) continue;
      const fileEdges = files.get(from) ?? new Set<string>();
      files.set(from, fileEdges);
      const fromFolder = path.posix.dirname(from);
      const folderEdges = folders.get(fromFolder) ?? new Set<string>();
      folders.set(fromFolder, folderEdges);
      for (const dependency of module.dependencies) {
        const to = dependency.resolved;
        if (!to.startsWith("lib/") || !CODE.test(to) || NOT_CODE.test(to)) continue;
        fileEdges.add(to);
        const toFolder = path.posix.dirname(to);
        if (toFolder !== fromFolder) folderEdges.add(toFolder);
      }
    }
    return { folders, folderLoops: loopsOf(folders), fileCircles: loopsOf(files) };
  } finally {
    process.chdir(previous);
  }
}

/** The same graph with each folder counted as its top-level folder of lib/ (lib/requests/intake as lib/requests). */
export function topLevel(folders: Map<string, Set<string>>): Map<string, Set<string>> {
  const top = (folder: string) => folder.split("/").slice(0, 2).join("/");
  const merged = new Map<string, Set<string>>();
  for (const [from, tos] of folders) {
    const edges = merged.get(top(from)) ?? new Set<string>();
    merged.set(top(from), edges);
    for (const to of tos) if (top(to) !== top(from)) edges.add(top(to));
  }
  return merged;
}
