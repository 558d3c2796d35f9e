import type { Metadata } from "next";
import Link from "next/link";
import { ButtonForm } from "@/app/_components/button-form";
import { ChoicesForm } from "@/app/_components/choices-form";
import { ChoicesNotice, type ChoicesQuery } from "@/app/_components/choices-notice";
import { getDb } from "@/db/client";
import { preferenceView } from "@/lib/choices/preference-centre";
import { PREFERENCE_LINK_DAYS, verifyPreferenceToken } from "@/lib/mail/preference-link";
import { getSettings } from "@/server/settings";

export const metadata: Metadata = { title: "Your email choices" };

/**
 * Where the link in every email's footer leads: the person's choices, with
 * no need to sign in. Opening it changes nothing (mail scanners open links);
 * only the form's button does.
 */
export default async function PreferencesByLinkPage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<ChoicesQuery> }) {
  const { token } = await params;
  const query = await searchParams;
  const { orgName, authSecret } = getSettings();
  const check = verifyPreferenceToken(token, authSecret, new Date());
  if (!check.ok && check.reason === "expired") {
    return (
      <>
        <h1>This link has expired</h1>
        {query.sent === "1" ? (
          <p className="notice success" role="status">
            We have emailed a new link to the address this one was for. It works for {PREFERENCE_LINK_DAYS} days.
          </p>
        ) : query.problem === "limit" ? (
          <p className="notice warning" role="status">
            We have sent several links to this address already. Please use the newest one, or try again later.
          </p>
        ) : null}
        <p className="lede">
          A link to your email choices works for {PREFERENCE_LINK_DAYS} days after the email it came in. We can email a new one to
          the address this link was for: only its owner can open it.
        </p>
        <ButtonForm action="/preferences/new-link" fields={{ token }} label="Email me a new link" pendingLabel="Sending…" />
        <p className="muted">
          Any email from us also carries a working link at its foot, and its unsubscribe link always takes you off our lists.
        </p>
      </>
    );
  }
  if (!check.ok) {
    return (
      <>
        <h1>This link does not work</h1>
        <p className="lede">
          The link is not complete or not valid: part of it may have been lost when it was copied. You can still choose which
          emails you get from {orgName}: <Link href="/requests/preferences">sign in to see your choices</Link>, or use the link at
          the foot of any email from us.
        </p>
      </>
    );
  }
  const view = preferenceView(getDb(), { email: check.email, orgName });
  return (
    <>
      <h1>Your email choices</h1>
      <ChoicesNotice query={query} />
      <p className="lede">
        For <strong>{check.email}</strong>. You do not need to sign in: the link in our email is enough. It works for{" "}
        {PREFERENCE_LINK_DAYS} days, as often as you like.
      </p>
      <ChoicesForm view={view} token={token} />
      <p className="muted">Emails about requests you make to us, and sign-in links, are not on any list: they come whatever you choose here.</p>
    </>
  );
}
