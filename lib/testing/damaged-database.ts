import fs from "node:fs";
import Database from "better-sqlite3";

/**
 * Overwrites the first page of `table` with bytes that are no page at all,
 * as a failing disk or a bad copy would. The file must have nothing waiting
 * in its WAL (checkpoint it first), and connections open on it may still
 * hold the page as it was: open a new one to see the damage.
 */
export function damageTable(file: string, table: string): void {
  const sqlite = new Database(file, { readonly: true });
  const pageSize = sqlite.pragma("page_size", { simple: true }) as number;
  const rootPage = sqlite.prepare("select rootpage from sqlite_master where type = 'table' and name = ?").pluck().get(table) as number | undefined;
  sqlite.close();
  if (!rootPage) throw new Error(`There is no table ${table} in ${file}.`);
  const fd = fs.openSync(file, "r+");
  try {
    fs.writeSync(fd, Buffer.alloc(pageSize, 0xab), 0, pageSize, (rootPage - 1) * pageSize);
  } finally {
    fs.closeSync(fd);
  }
}
