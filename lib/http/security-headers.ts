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

/** HSTS only when the public address is https: over plain http it would be ignored, or lock a test host out. */
export function securityHeaders(input: { nonce: string; appUrl: string; development?: boolean }): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(input.nonce, { development: input.development ?? false }),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    ...(input.appUrl.startsWith("https://") ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}
