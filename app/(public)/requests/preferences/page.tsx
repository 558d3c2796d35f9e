import type { Metadata } from "next";
import Link from "next/link";
import { ChoicesForm } from "@/app/_components/choices-form";
import { ChoicesNotice, type ChoicesQuery } from "@/app/_components/choices-notice";
import { Instant } from "@/app/_components/dates";
import { getDb } from "@/db/client";
import { preferenceView } from "@/lib/choices/preference-centre";
import { getSettings } from "@/server/settings";
import { requireSignedIn } from "@/server/viewer";

export const metadata: Metadata = { title: "Your email choices" };

/** The same choices as the link in every email opens, for the person signed in. */
export default async function SignedInPreferencesPage({ searchParams }: { searchParams: Promise<ChoicesQuery> }) {
  const viewer = await requireSignedIn("/requests/preferences");
  const query = await searchParams;
  const { orgName, timeZone } = getSettings();
  const view = preferenceView(getDb(), { email: viewer.email, orgName });
  return (
    <>
      <h1>Your email choices</h1>
      <ChoicesNotice query={query} />
      <p className="lede">
        Signed in as <strong>{viewer.email}</strong>. <Link href="/requests">Back to your requests</Link>
      </p>
      <ChoicesForm view={view} token={null} />
      {view.saleAndSharing ? (
        <p>
          Your objection to us selling or sharing your personal information is on record since{" "}
          <Instant at={view.saleAndSharing.since} timeZone={timeZone} />.
        </p>
      ) : null}
      <p className="muted">Emails about requests you make to us, and sign-in links, are not on any list: they come whatever you choose here.</p>
    </>
  );
}
