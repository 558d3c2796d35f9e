import { existsSync, realpathSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Throws unless `databasePath` resolves (symlinks included) inside os.tmpdir(),
 * so a mistyped or inherited path can never point the suite at a real database.
 */
export function assertDatabaseInTmp(databasePath: string | undefined): string {
  if (!databasePath) throw new Error("Refusing to start: DATABASE_PATH is empty in the e2e environment.");
  const tmpRoot = realpathSync(os.tmpdir());
  const absolute = path.resolve(databasePath);
  const resolved = resolveThroughExistingAncestor(absolute);
  const relative = path.relative(tmpRoot, resolved);
  const outside = relative === "" || relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  if (outside) {
    throw new Error(
      `Refusing to start: DATABASE_PATH ${absolute} resolves to ${resolved}, which is not inside ${tmpRoot}. ` +
        "The e2e suite only ever runs against a throwaway database in the temp directory.",
    );
  }
  return resolved;
}

/** realpath() of the deepest existing ancestor plus the rest, so not-yet-created files are still checked through symlinks. */
function resolveThroughExistingAncestor(absolute: string): string {
  let existing = absolute;
  while (!existsSync(existing)) existing = path.dirname(existing);
  return path.join(realpathSync(existing), path.relative(existing, absolute));
}
