/** Currencies as the supporter records hold them: ISO 4217 codes, amounts in minor units. */

/** How many decimal places a currency's minor unit has (2 for GBP, 0 for JPY, 3 for KWD); null if unknown. */
export function currencyExponent(code: string): number | null {
  if (!/^[A-Z]{3}$/.test(code)) return null;
  const known = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("currency") : null;
  if (known && !known.includes(code)) return null;
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency: code }).resolvedOptions().maximumFractionDigits ?? null;
  } catch {
    return null;
  }
}
