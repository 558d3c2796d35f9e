/**
 * Whether a statement already tells the supporter they may complain to the
 * supervisory authority. (The sentence that says it, in each language, is
 * "rights.complain" in the catalogues.)
 */

/** In each language the portal speaks: a word for complaining, and one naming the authority. */
const COMPLAINT_WORDS = [
  { complain: /\bcomplain/i, authority: /supervisory authority|information commissioner|\bICO\b/i },
  { complain: /plainte|réclamation/i, authority: /autorité de contrôle|\bCNIL\b/i },
  { complain: /reclamaci[oó]n|queja/i, authority: /autoridad de control|\bAEPD\b/i },
  { complain: /beschwer/i, authority: /aufsichtsbeh[öo]rde/i },
];

/**
 * True when one of the lines already tells the supporter they may complain to
 * the supervisory authority, as the default statement's last line does, so the
 * export does not say it twice. A line that only offers to hear a concern
 * ("raise a concern with us") does not count.
 */
export function statesComplaintRight(lines: readonly string[]): boolean {
  return lines.some((line) => COMPLAINT_WORDS.some((words) => words.complain.test(line) && words.authority.test(line)));
}
