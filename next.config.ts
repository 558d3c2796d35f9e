import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

// The language comes from the person's choice or their browser, never from the address (see server/i18n-request.ts).
const withNextIntl = createNextIntlPlugin("./server/i18n-request.ts");

const nextConfig: NextConfig = {
  // Native and Node-only modules are loaded at run time rather than bundled.
  serverExternalPackages: ["better-sqlite3", "nodemailer", "rate-limiter-flexible"],
  poweredByHeader: false,
  // `npm test` type-checks the whole project (tsc --noEmit) before it builds; checking again in the build only
  // doubles a minute of the test run. `npm run typecheck` is the check.
  typescript: { ignoreBuildErrors: true },
  experimental: {
    // proxy.ts refuses larger bodies first (lib/http/request-checks.ts), with a 413 and a sentence:
    // 2 MB for forms, 10 MB for the CSV import. These are the backstops, a little above, so the proxy
    // always answers first.
    serverActions: { bodySizeLimit: "11mb" },
    proxyClientMaxBodySize: "11mb",
  },
  // Pages and routes get these and more (with a nonce) from proxy.ts; this covers the static files it skips.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default withNextIntl(nextConfig);
