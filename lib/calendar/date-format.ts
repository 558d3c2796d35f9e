/**
 * Date formatters, made once per locale, options and time zone and kept:
 * making an Intl.DateTimeFormat costs a few hundred microseconds and using
 * one about a microsecond, and pages format dates in every row.
 */
const made = new Map<string, Intl.DateTimeFormat>();

export function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = made.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    made.set(key, format);
  }
  return format;
}
