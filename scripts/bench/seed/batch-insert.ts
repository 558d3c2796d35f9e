/**
 * Rows written many to a statement: one call into SQLite per hundred rows
 * instead of per row, which is most of the cost of loading millions.
 */
import type Database from "better-sqlite3";

export class BatchInsert {
  private readonly full: Database.Statement;
  private values: unknown[] = [];
  private rows = 0;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly head: string,
    private readonly columns: number,
    private readonly rowsPerStatement = 100,
  ) {
    this.full = sqlite.prepare(this.statementFor(rowsPerStatement));
  }

  add(...row: unknown[]): void {
    for (const value of row) this.values.push(value);
    if (++this.rows === this.rowsPerStatement) this.flush();
  }

  /** Writes what is buffered; call before the transaction it belongs to ends. */
  flush(): void {
    if (this.rows === 0) return;
    const statement = this.rows === this.rowsPerStatement ? this.full : this.sqlite.prepare(this.statementFor(this.rows));
    statement.run(this.values);
    this.values = [];
    this.rows = 0;
  }

  private statementFor(rows: number): string {
    const one = `(${Array.from({ length: this.columns }, () => "?").join(", ")})`;
    return `${this.head} values ${Array.from({ length: rows }, () => one).join(", ")}`;
  }
}
