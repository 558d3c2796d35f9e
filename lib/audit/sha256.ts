/**
 * SHA-256 of a text (as UTF-8), in hex: how the record hashes an event, a
 * note's commitment and what a request is. One call to `crypto.hash` where
 * Node has it (20.12 and later): for the record's short texts it costs about
 * half of making a Hash object, feeding it and reading its digest, which
 * counts when millions of events are hashed in a row. On Node 20.9 to 20.11
 * the Hash object gives the same bytes.
 */
import * as crypto from "node:crypto";

/** The Hash object's way: on every version of Node Rightsdesk supports. */
export function sha256HexByHashObject(text: string): string {
  return crypto.createHash("sha256").update(text).digest("hex");
}

// Read from the module itself, not imported by name: a named import of what Node 20.9 lacks would fail to load.
const oneCall = (crypto as { hash?: (algorithm: string, data: string, encoding: "hex") => string }).hash;

export const sha256Hex: (text: string) => string =
  typeof oneCall === "function" ? (text) => oneCall("sha256", text, "hex") : sha256HexByHashObject;
