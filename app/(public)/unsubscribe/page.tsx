import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { findList } from "@/lib/consent/lists";
import { leaveAllButton, leaveListButton } from "@/lib/consent/wording";
import { verifyUnsubscribeToken } from "@/lib/mail/unsubscribe-link";
import { getSettings } from "@/server/settings";

export const metadata: Metadata = { title: "Unsubscribe" };

export default async function UnsubscribePage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string; done?: string; problem?: string; list?: string }>;
}) {
  const { token, done, problem } = await searchParams;
  const { orgName, authSecret } = getSettings();
  const check = typeof token === "string" ? verifyUnsubscribeToken(token, authSecret, new Date()) : null;
  const title = check?.ok && check.list ? (findList(getDb(), check.list)?.title ?? check.list) : null;
  if (done) {
    return (
      <>
        <h1>You are unsubscribed</h1>
        <p className="lede" role="status">
          {title
            ? `We have taken your address off the list "${title}". Any other list you chose stays as it was.`
            : `We have taken your address off every ${orgName} mailing list.`}{" "}
          We have sent you one email to confirm it.
        </p>
        <p>
          To choose lists again, use the link &quot;your email choices&quot; at the foot of any email from us, or{" "}
          <Link href="/requests/preferences">sign in to see your choices</Link>.
        </p>
      </>
    );
  }
  if (typeof token !== "string" || !check?.ok || problem) {
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
        {title ? (
          <>
            Take <strong>{check.email}</strong> off the list &quot;{title}&quot;. Other lists you chose stay as they are.
          </>
        ) : (
          <>
            Unsubscribe <strong>{check.email}</strong> from every {orgName} mailing list, and keep it off lists added later.
          </>
        )}{" "}
        This happens at once; you do not need to sign in.
      </p>
      <form method="post" action={`/unsubscribe/${encodeURIComponent(token)}`}>
        <input type="hidden" name="List-Unsubscribe" value="One-Click" />
        <button className="primary" type="submit">
          {title ? leaveListButton(title) : leaveAllButton(orgName)}
        </button>
      </form>
    </>
  );
}
