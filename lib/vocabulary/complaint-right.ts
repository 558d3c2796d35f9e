/**
 * The supporter's right to complain to a supervisory authority, in one
 * wording for every email that closes a request and for the access export.
 * Plain text, no React, so both can import it.
 */
export const COMPLAINT_RIGHT =
  "If you are unhappy with how we have handled your request, you have the right to complain to a data protection supervisory authority (in the UK, the Information Commissioner's Office, ico.org.uk; in the EU, the authority of the country where you live or work).";

/**
 * True when one of the lines already tells the supporter they may complain to
 * the supervisory authority, as the default statement's last line does, so the
 * export does not say it twice. A line that only offers to hear a concern
 * ("raise a concern with us") does not count.
 */
export function statesComplaintRight(lines: readonly string[]): boolean {
  return lines.some((line) => /\bcomplain/i.test(line) && /supervisory authority|information commissioner|\bICO\b/i.test(line));
}
