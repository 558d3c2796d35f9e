import type { Metadata } from "next";
import { Link } from "@/app/_components/link";
import { getWords } from "@/server/words";
import { ChoicesForm } from "@/app/_components/choices-form";
import { ChoicesNotice, type ChoicesQuery } from "@/app/_components/choices-notice";
import { getDb } from "@/db/client";
import { formatInstant } from "@/lib/calendar/format";
import { preferenceView } from "@/lib/choices/preference-centre";
import { requestLanguage } from "@/server/language";
import { orgNameIn } from "@/server/org-name";
import { getSettings } from "@/server/settings";
import { requireSignedIn } from "@/server/viewer";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getWords("choices"))("title") };
}

/** The same choices as the link in every email opens, for the person signed in. */
export default async function SignedInPreferencesPage({ searchParams }: { searchParams: Promise<ChoicesQuery> }) {
  const viewer = await requireSignedIn("/requests/preferences");
  const query = await searchParams;
  const { timeZone } = getSettings();
  const language = await requestLanguage();
  const t = await getWords("choices");
  const view = preferenceView(getDb(), { email: viewer.email, orgName: orgNameIn(language), language });
  return (
    <>
      <h1>{t("title")}</h1>
      <ChoicesNotice query={query} />
      <p className="lede">
        {t.rich("signedInAs", { email: viewer.email, strong: (chunks) => <strong>{chunks}</strong>, link: (chunks) => <Link href="/requests">{chunks}</Link> })}
      </p>
      <ChoicesForm view={view} token={null} />
      {view.saleAndSharing ? <p>{t("saleSharingSince", { since: formatInstant(view.saleAndSharing.since, timeZone, language) })}</p> : null}
      <p className="muted">{t("notOnLists")}</p>
    </>
  );
}
