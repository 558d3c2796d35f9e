import type { Metadata } from "next";
import { getSettings } from "@/server/settings";
import { VerifyForm } from "./verify-form";

export const metadata: Metadata = { title: "Check a receipt" };

export default function VerifyPage() {
  const { orgName, signingKey } = getSettings();
  return (
    <>
      <h1>Check a receipt</h1>
      <p className="lede">
        When {orgName} closes a request, the email says what was done and ends with a signed receipt. Paste it here to check that {orgName} issued it
        and that nothing in it was changed. You do not need to sign in.
      </p>
      <VerifyForm />
      <h2>Checking it without us</h2>
      <p>
        The receipt is signed with {orgName}&rsquo;s Ed25519 key <code>{signingKey.publicKey.id}</code>. The public key is at{" "}
        <a href="/.well-known/rightsdesk-receipt-key.pem">/.well-known/rightsdesk-receipt-key.pem</a>, so anyone, such as a regulator, can check a receipt
        with their own tools.
      </p>
    </>
  );
}
