/**
 * The headers every page and route is served with. The policy lets scripts
 * run only with this response's nonce (Next adds it to its own), forbids
 * framing, and keeps forms posting to this site.
 */

export function contentSecurityPolicy(nonce: string, options: { development?: boolean } = {}): string {
  return [
    "default-src 'self'",
    // React needs eval only for its development tools.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    // Style attributes cannot run code; a few pages use them for layout.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * The readable copy of an access export (and staff's looks at it) is one
 * self-contained page of a person's data, some of it from outside systems:
 * nothing in it may run, load, post a form or be framed. Its one style sheet
 * carries the nonce.
 */
export function exportPagePolicy(nonce: string): string {
  return ["default-src 'none'", `style-src 'nonce-${nonce}'`, "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"].join("; ");
}

/** The addresses that serve an access export as a page: the supporter's copy, and staff's preview and look at what was sent. */
const EXPORT_PAGE = /^\/(requests\/[^/]+\/export\/html|staff\/requests\/[^/]+\/export\/(preview|sent))\/?$/;

export function isExportPage(pathname: string): boolean {
  return EXPORT_PAGE.test(pathname);
}

/**
 * HSTS only when the public address is https: over plain http it would be ignored, or lock a test host out.
 * `pathname` picks the export page's stricter policy where it is served (the proxy's headers replace a route's own).
 */
export function securityHeaders(input: { nonce: string; appUrl: string; development?: boolean; pathname?: string }): Record<string, string> {
  return {
    "Content-Security-Policy":
      input.pathname !== undefined && isExportPage(input.pathname)
        ? exportPagePolicy(input.nonce)
        : contentSecurityPolicy(input.nonce, { development: input.development ?? false }),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    ...(input.appUrl.startsWith("https://") ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}
