/**
 * Why a file or folder could not be made or written, in words an
 * administrator can act on, instead of a stack trace: a data folder on a
 * read-only disk, a folder owned by another user, a full disk, a file where
 * a folder should be.
 */
import fs from "node:fs";
import path from "node:path";

/** Thrown when something Rightsdesk keeps on disk cannot be opened or written; its message is the one sentence to show. */
export class StorageError extends Error {
  override name = "StorageError";
}

/** The error's errno code (EROFS, EACCES…), or SQLite's (SQLITE_CANTOPEN…); null for anything else. */
function codeOf(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : null;
}

/** The nearest folder on the way to `target` that exists (`target` itself when it does). */
function nearestExisting(target: string): string {
  let at = path.resolve(target);
  while (!fs.existsSync(at) && path.dirname(at) !== at) at = path.dirname(at);
  return at;
}

/** Why writing where `target` is fails, asked of the file system itself: null when nothing stops it. */
export function writeBlocker(target: string, folder: boolean): string | null {
  const at = nearestExisting(target);
  // A file is written beside itself too (SQLite's -wal and -shm, a key's temporary copy): its folder must take new files.
  const places = at === path.resolve(target) && !folder ? [at, path.dirname(at)] : [at];
  for (const place of places) {
    try {
      // Only the target itself may be a file, and only when a file is what is wanted.
      if (!fs.statSync(place).isDirectory() && (folder || place !== path.resolve(target))) return `${place} is a file, not a folder`;
      fs.accessSync(place, fs.constants.W_OK);
    } catch (error) {
      return codeOf(error) === "EROFS" ? `${place} is on a read-only file system` : `the user running Rightsdesk may not write to ${place}`;
    }
  }
  return null;
}

/**
 * Why `target` (a file or folder Rightsdesk was making or writing) could not
 * be: a clause such as "/srv/data is on a read-only file system". The error
 * is what the attempt threw; SQLite's codes say little, so the file system
 * is asked as well. `folder`: the target is a folder, so a file there is in the way.
 */
export function whyNotWritable(target: string, error: unknown, { folder = false }: { folder?: boolean } = {}): string {
  switch (codeOf(error)) {
    case "EROFS":
      return `${nearestExisting(target)} is on a read-only file system`;
    case "EACCES":
    case "EPERM":
      return writeBlocker(target, folder) ?? `the user running Rightsdesk may not write to ${nearestExisting(target)}`;
    case "ENOSPC":
    case "SQLITE_FULL":
      return `the disk that holds ${nearestExisting(target)} is full`;
    case "ENOTDIR":
    case "EEXIST":
      return writeBlocker(target, folder) ?? `part of the path ${target} is a file, not a folder`;
    default: {
      const blocker = writeBlocker(target, folder);
      if (blocker) return blocker;
      const detail = error instanceof Error ? error.message : String(error);
      return `the system said "${detail}"`;
    }
  }
}
