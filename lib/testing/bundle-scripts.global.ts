/**
 * Vitest's global setup: bundles the programs the tests start as processes
 * of their own (./script-bundles.ts says why) before any test runs (and,
 * watching, before each run again), and deletes them after the run.
 *
 * The bundles go in a folder of this run's under node_modules/.cache, inside
 * the project, so that Node finds the packages they import in the project's
 * node_modules. A run that was killed leaves its folder; the next run deletes
 * the folders of runs whose process is gone.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { context, type BuildContext, type Plugin } from "esbuild";
import type { TestProject } from "vitest/node";
import { BUNDLES_VARIABLE, bundledPrograms, ROOT } from "./script-bundles";

const PARENT = path.join(ROOT, "node_modules", ".cache", "rightsdesk-test-bundles");

/**
 * In a bundle every file's code is in one file, so `import.meta` would name
 * the bundle. Each of the project's files gets its own location written in
 * instead, as it has when it runs from source.
 */
const ownLocation: Plugin = {
  name: "own-location",
  setup(bundle) {
    bundle.onLoad({ filter: /\.(ts|tsx|mts|js|mjs)$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = await fs.promises.readFile(args.path, "utf8");
      if (!source.includes("import.meta")) return undefined;
      const contents = source
        .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll("import.meta.dirname", JSON.stringify(path.dirname(args.path)))
        .replaceAll("import.meta.filename", JSON.stringify(args.path));
      const loader = args.path.endsWith(".tsx") ? "tsx" : /\.m?js$/.test(args.path) ? "js" : "ts";
      return { contents, loader };
    });
  },
};

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Deletes the folders of earlier runs whose process is gone. */
function sweepLeftFolders(): void {
  for (const name of fs.existsSync(PARENT) ? fs.readdirSync(PARENT) : []) {
    const pid = Number(/^run-(\d+)$/.exec(name)?.[1]);
    if (!pid || !isAlive(pid)) fs.rmSync(path.join(PARENT, name), { recursive: true, force: true });
  }
}

type RunBundles = { folder: string; bundler: Promise<BuildContext>; users: number };
/** Kept on the process: each of Vitest's projects runs this setup, and they share one set of bundles and its folder. */
const KEY = Symbol.for("rightsdesk.test-bundles");
const shared = globalThis as typeof globalThis & { [KEY]?: RunBundles };

/** Bundles every program the tests start into `folder`, and gives back the bundler, to bundle them again. */
async function startBundler(folder: string): Promise<BuildContext> {
  sweepLeftFolders();
  fs.rmSync(folder, { recursive: true, force: true });
  const bundler = await context({
    absWorkingDir: ROOT,
    entryPoints: bundledPrograms(ROOT),
    outdir: folder,
    outbase: ROOT,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    platform: "node",
    format: "esm",
    target: "node20",
    // The packages stay where they are and Node loads them itself; only the project's own code is bundled.
    packages: "external",
    plugins: [ownLocation],
    logLevel: "warning",
  });
  try {
    await bundler.rebuild();
  } catch (error) {
    await bundler.dispose();
    throw error;
  }
  return bundler;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const first = shared[KEY] === undefined;
  const folder = path.join(PARENT, `run-${process.pid}`);
  const run = (shared[KEY] ??= { folder, bundler: startBundler(folder), users: 0 });
  run.users += 1;
  await run.bundler;
  process.env[BUNDLES_VARIABLE] = run.folder;
  // In watch mode the sources change between runs: each run after the first bundles them again before its tests.
  if (first) project.onTestsRerun(async () => void (await (await run.bundler).rebuild()));
  return async () => {
    run.users -= 1;
    if (run.users > 0) return;
    delete shared[KEY];
    delete process.env[BUNDLES_VARIABLE];
    await (await run.bundler).dispose();
    fs.rmSync(run.folder, { recursive: true, force: true });
  };
}
