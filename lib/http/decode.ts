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
