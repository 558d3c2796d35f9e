import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native and Node-only modules are loaded at run time rather than bundled.
  serverExternalPackages: ["better-sqlite3", "nodemailer"],
  poweredByHeader: false,
  // Import files are uploaded through a server action; the default 1 MB is too small.
  experimental: { serverActions: { bodySizeLimit: "10mb" } },
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
