import type { Metadata } from "next";
import { verifyUnsubscribeToken } from "@/lib/mail/unsubscribe-link";
import { getSettings } from "@/server/settings";

export const metadata: Metadata = { title: "Unsubscribe" };

export default async function UnsubscribePage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string; done?: string; problem?: string }>;
}) {
  const { token, done, problem } = await searchParams;
  const { orgName, authSecret } = getSettings();
  if (done) {
    return (
      <>
        <h1>You are unsubscribed</h1>
        <p className="lede" role="status">
          We have taken your address off every {orgName} mailing list. We have sent you one email to confirm it.
        </p>
      </>
    );
  }
  const check = token ? verifyUnsubscribeToken(token, authSecret, new Date()) : null;
  if (!token || !check?.ok || problem) {
    const expired = problem === "expired" || (check && !check.ok && check.reason === "expired");
    return (
      <>
        <h1>This unsubscribe link does not work</h1>
        <p className="lede">
          {expired ? "The link has expired." : "The link is not complete or not valid."} You can still stop our emails:{" "}
          <a href="/new?type=unsubscribe">ask us to unsubscribe you</a>.
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Stop emails from {orgName}</h1>
      <p className="lede">
        Unsubscribe <strong>{check.email}</strong> from every {orgName} mailing list. This happens at once; you do not
        need to sign in.
      </p>
      <form method="post" action={`/unsubscribe/${encodeURIComponent(token)}`}>
        <input type="hidden" name="List-Unsubscribe" value="One-Click" />
        <button type="submit">Unsubscribe me</button>
      </form>
    </>
  );
}
