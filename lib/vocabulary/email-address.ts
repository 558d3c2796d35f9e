/**
 * Email addresses are compared in one canonical form everywhere: trimmed and
 * lower-cased. (The local part is case-sensitive in theory, never in practice.)
 */
export function normalizeEmail(address: string): string {
  return address.trim().toLowerCase();
}
