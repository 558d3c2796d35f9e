/**
 * A percent-encoded piece of an address or cookie, decoded; a malformed
 * escape (a lone "%") is no value at all, never an exception that would
 * answer 500.
 */
export function decodedOrEmpty(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return "";
  }
}

/**
 * Bytes that must be UTF-8 text (a body, a signed message, an uploaded
 * file), decoded; null when they are not, rather than text with
 * replacement characters (U+FFFD) where the bad bytes were, which would
 * then be stored as if someone had typed them. A byte-order mark is
 * dropped unless `keepBom` (a CSV reader that drops it itself).
 */
export function strictUtf8(bytes: Uint8Array, options: { keepBom?: boolean } = {}): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: options.keepBom ?? false }).decode(bytes);
  } catch {
    return null;
  }
}
