/**
 * Test helper: how a test starts one of the project's TypeScript programs as
 * a process of its own (a command in scripts/, or a child a test drives).
 *
 * Run through tsx, such a process spends most of its start loading modules
 * through tsx's loader: every module, the packages' too, is resolved and
 * loaded by way of the loader's own thread, about a second of processor time
 * for a command that then does a few milliseconds of work. The unit tests
 * start such processes over a hundred times, so before they run
 * (./bundle-scripts.global.ts) the programs they start are bundled by esbuild,
 * tsx's own compiler, into a folder of the project's, and `nodeArgs` starts
 * the bundle: the same code, compiled the same way, with the packages loaded
 * by Node itself. Each file keeps its own `import.meta.url`, `dirname` and
 * `filename` in the bundle, so a command that finds a folder beside its file
 * (db/migrate.ts, its migrations) finds the same one. What is not bundled
 * (a test run outside Vitest, a program not in the list) runs through tsx as
 * before.
 */
import fs from "node:fs";
import path from "node:path";

/** The project's folder. */
export const ROOT = path.resolve(import.meta.dirname, "..", "..");

/** The variable that tells the tests' processes where this run's bundles are. */
export const BUNDLES_VARIABLE = "RIGHTSDESK_TEST_BUNDLES";

/** The programs the tests start besides the commands in scripts/: the children of lib/testing that a test drives. */
export const TEST_CHILDREN = [
  "lib/testing/deliver-in-child.ts",
  "lib/testing/file-requests-in-child.ts",
  "lib/testing/hold-write-lock.ts",
  "lib/testing/servers/start-in-child.ts",
] as const;

/** Every program bundled for the tests: each command in scripts/ (not its tests) and the test children. */
export function bundledPrograms(root = ROOT): string[] {
  const commands = fs
    .readdirSync(path.join(root, "scripts"), { withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name))
    .map((entry) => `scripts/${entry.name}`);
  return [...commands.sort(), ...TEST_CHILDREN];
}

/** Where `program` (a path from the project root) is bundled in `folder`. */
export function bundlePath(folder: string, program: string): string {
  return path.join(folder, program.replace(/\.tsx?$/, ".mjs"));
}

/**
 * The arguments to give `node` to run `program` (a path from the project
 * root, "scripts/backup.ts"): its bundle when this test run made one, else
 * the source through tsx.
 */
export function nodeArgs(program: string): string[] {
  const folder = process.env[BUNDLES_VARIABLE];
  if (folder) {
    const bundle = bundlePath(folder, program);
    if (fs.existsSync(bundle)) return [bundle];
  }
  return ["--import", "tsx", path.join(ROOT, program)];
}
