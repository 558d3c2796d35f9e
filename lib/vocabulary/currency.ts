/** Currencies as the supporter records hold them: ISO 4217 codes, amounts in minor units. */

const exponents = new Map<string, number | null>();

/** How many decimal places a currency's minor unit has (2 for GBP, 0 for JPY, 3 for KWD); null if unknown. */
export function currencyExponent(code: string): number | null {
  if (!/^[A-Z]{3}$/.test(code)) return null;
  // Asked once per donation row of an import: the answer is kept, since finding it costs far more than the row.
  if (!exponents.has(code)) exponents.set(code, findExponent(code));
  return exponents.get(code) ?? null;
}

function findExponent(code: string): number | null {
  const known = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("currency") : null;
  if (known && !known.includes(code)) return null;
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency: code }).resolvedOptions().maximumFractionDigits ?? null;
  } catch {
    return null;
  }
}
