import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native and Node-only modules are loaded at run time rather than bundled.
  serverExternalPackages: ["better-sqlite3", "nodemailer", "rate-limiter-flexible"],
  poweredByHeader: false,
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

export default nextConfig;
