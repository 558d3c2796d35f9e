import { getSettings } from "@/server/settings";

export const dynamic = "force-dynamic";

/**
 * The organisation's public key, as a PEM block, at a stable address: what
 * anyone checks a receipt or an anchor against without trusting the portal.
 * Public by nature; it changes only if the key file is replaced.
 */
export function GET() {
  return new Response(getSettings().signingKey.publicKey.pem, {
    headers: { "Content-Type": "application/x-pem-file; charset=utf-8", "Cache-Control": "public, max-age=3600" },
  });
}
