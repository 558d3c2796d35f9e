import { getSettings } from "@/server/settings";

export const dynamic = "force-dynamic";

/** The same public key as /.well-known/rightsdesk-receipt-key.pem, described for programs. */
export function GET() {
  const { publicKey } = getSettings().signingKey;
  return Response.json(
    {
      algorithm: "Ed25519",
      keyId: publicKey.id,
      publicKeyPem: publicKey.pem,
      receiptFormat: "rightsdesk-receipt/1",
      signs: "the receipt's lines as \"Label: value\" (white space runs read as one space), after a first line \"rightsdesk-receipt/1\", joined by newlines, without the Signature line",
    },
    { headers: { "Cache-Control": "public, max-age=3600" } },
  );
}
