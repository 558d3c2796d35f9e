import { randomInt } from "node:crypto";

/**
 * Crockford's base-32 alphabet: no I, L, O or U, so a reference read aloud or
 * copied by hand is not mistaken for another. (The bench's seeded references
 * use it too.)
 */
export const REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const REFERENCE_PATTERN = /^RD-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

/** A fresh public reference such as RD-7K3Q-9XWM: 40 random bits, never the row id. */
export function newReference(): string {
  let chars = "";
  for (let i = 0; i < 8; i++) chars += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return `RD-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** The canonical form of something typed or pasted as a reference, or null. */
export function parseReference(input: string): string | null {
  const candidate = input.trim().toUpperCase();
  return REFERENCE_PATTERN.test(candidate) ? candidate : null;
}
