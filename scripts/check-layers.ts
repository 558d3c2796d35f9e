/**
 * `npm run check:layers`: the folders of lib/ import in one direction only
 * (no loop between folders, whether counted folder by folder or by their
 * top-level folder) and no file imports itself round a circle. Prints what
 * it finds and exits 1 if anything loops.
 */
import { readLayers, loopsOf, topLevel } from "./lib/layers";

const layers = await readLayers(process.cwd());
const topLoops = loopsOf(topLevel(layers.folders));
const problems = [
  ...layers.folderLoops.map((loop) => `Folders that import each other: ${loop.join(", ")}`),
  ...topLoops.map((loop) => `Top-level folders that import each other: ${loop.join(", ")}`),
  ...layers.fileCircles.map((circle) => `Files that import each other round a circle: ${circle.join(", ")}`),
];
if (problems.length === 0) {
  console.log(`lib/: ${layers.folders.size} folders, no loop between them and no circle between files.`);
} else {
  for (const line of problems) console.error(line);
  process.exit(1);
}
