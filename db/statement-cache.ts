import type Database from "better-sqlite3";

/** How many compiled statements a connection keeps; the app runs a few hundred distinct ones. */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * Makes a connection keep what SQLite compiled, by SQL text. Drizzle builds
 * each query's SQL anew and asks the connection for a statement every time
 * it runs one, and compiling costs more than running most of them: filing a
 * request runs about a dozen. A statement in use (a result still being
 * iterated) is never handed out twice; the caller gets a fresh one instead.
 * Each one handed out again is reset to return plain rows, so what one
 * caller chose (`raw`, `pluck`, `expand`) never reaches the next.
 */
export function keepCompiledStatements(sqlite: Database.Database): void {
  const compile = sqlite.prepare.bind(sqlite);
  const kept = new Map<string, Database.Statement>();
  const prepare = (source: string): Database.Statement => {
    const statement = kept.get(source);
    if (statement && !statement.busy) {
      // Most recently used last, so the first key is always the one to drop.
      kept.delete(source);
      kept.set(source, statement);
      if (statement.reader) statement.raw(false).pluck(false).expand(false);
      return statement;
    }
    const compiled = compile(source);
    if (!statement) {
      kept.set(source, compiled);
      if (kept.size > STATEMENT_CACHE_SIZE) kept.delete(kept.keys().next().value!);
    }
    return compiled;
  };
  sqlite.prepare = prepare as typeof sqlite.prepare;
}
