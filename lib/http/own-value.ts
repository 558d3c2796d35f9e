/**
 * A table's entry for a word taken from the address (`?notice=…`), or
 * undefined: only the table's own keys count, so "constructor" or
 * "__proto__" find nothing instead of what every object inherits.
 */
export function ownValue<T>(table: Record<string, T>, key: string | null | undefined): T | undefined {
  return key && Object.hasOwn(table, key) ? table[key] : undefined;
}
