/**
 * The salts the record hashes under (an event's note, a request's
 * identity): 16 random bytes each, written as hex. They are cut from a pool
 * the system's cryptographic generator fills 64 salts at a time, since one
 * call for 16 bytes costs about as much as one for a kilobyte and a filing
 * draws two. Every byte of the pool is handed out once.
 */
import { randomFillSync } from "node:crypto";

export const SALT_BYTES = 16;
const SALTS_PER_FILL = 64;

const pool = Buffer.alloc(SALT_BYTES * SALTS_PER_FILL);
/** Where the next salt starts; at the end, the pool is filled afresh before the next is cut. */
let next = pool.length;
let fills = 0;

/** A fresh random salt, 32 hex digits. */
export function randomSalt(): string {
  if (next >= pool.length) {
    randomFillSync(pool);
    fills++;
    next = 0;
  }
  const salt = pool.toString("hex", next, next + SALT_BYTES);
  next += SALT_BYTES;
  return salt;
}

/** How many times the pool has been filled so far (for its test: one fill serves many salts). */
export function saltPoolFills(): number {
  return fills;
}
