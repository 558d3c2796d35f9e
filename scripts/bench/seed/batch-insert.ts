/**
 * Rows written many to a statement: one call into SQLite per hundred rows
 * instead of per row. The values wait in one array, made once at its full
 * size and filled in place, so millions of rows leave no arrays behind for
 * the garbage collector.
 */
import type Database from "better-sqlite3";

export class BatchInsert {
  private readonly full: Database.Statement;
  private readonly values: unknown[];
  private filled = 0;
  private rows = 0;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly head: string,
    private readonly columns: number,
    private readonly rowsPerStatement = 100,
  ) {
    this.full = sqlite.prepare(this.statementFor(rowsPerStatement));
    this.values = new Array<unknown>(columns * rowsPerStatement).fill(null);
  }

  add(...row: unknown[]): void {
    if (row.length !== this.columns) throw new Error(`${this.head}: ${row.length} values for ${this.columns} columns.`);
    for (let i = 0; i < row.length; i++) this.values[this.filled++] = row[i];
    if (++this.rows === this.rowsPerStatement) this.flush();
  }

  /** Writes what is buffered; call before the transaction it belongs to ends. */
  flush(): void {
    if (this.rows === 0) return;
    if (this.rows === this.rowsPerStatement) this.full.run(this.values);
    else this.sqlite.prepare(this.statementFor(this.rows)).run(this.values.slice(0, this.filled));
    this.filled = 0;
    this.rows = 0;
  }

  private statementFor(rows: number): string {
    const one = `(${Array.from({ length: this.columns }, () => "?").join(", ")})`;
    return `${this.head} values ${Array.from({ length: rows }, () => one).join(", ")}`;
  }
}
