import type { Metadata } from "next";
import { Link } from "@/app/_components/link";
import { getWords } from "@/server/words";
import { ButtonForm } from "@/app/_components/button-form";
import { ChoicesForm } from "@/app/_components/choices-form";
import { ChoicesNotice, type ChoicesQuery } from "@/app/_components/choices-notice";
import { getDb } from "@/db/client";
import { preferenceView } from "@/lib/choices/preference-centre";
import { PREFERENCE_LINK_DAYS, verifyPreferenceToken } from "@/lib/mail/preference-link";
import { requestLanguage } from "@/server/language";
import { orgNameIn } from "@/server/org-name";
import { getSettings } from "@/server/settings";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getWords("choices"))("title") };
}

/**
 * Where the link in every email's footer leads: the person's choices, with
 * no need to sign in. Opening it changes nothing (mail scanners open links);
 * only the form's button does.
 */
export default async function PreferencesByLinkPage({ params, searchParams }: { params: Promise<{ token: string }>; searchParams: Promise<ChoicesQuery> }) {
  const { token } = await params;
  const query = await searchParams;
  const { authSecret } = getSettings();
  const language = await requestLanguage();
  const orgName = orgNameIn(language);
  const t = await getWords("choices");
  const days = PREFERENCE_LINK_DAYS;
  const check = verifyPreferenceToken(token, authSecret, new Date());
  if (!check.ok && check.reason === "expired") {
    return (
      <>
        <h1>{t("expiredHeading")}</h1>
        {query.sent === "1" ? (
          <p className="notice success" role="status">
            {t("newLinkSent", { days })}
          </p>
        ) : query.problem === "limit" ? (
          <p className="notice warning" role="status">
            {t("newLinkLimit")}
          </p>
        ) : null}
        <p className="lede">{t("expiredText", { days })}</p>
        <ButtonForm action="/preferences/new-link" fields={{ token }} label={t("newLinkButton")} pendingLabel={t("newLinkPending")} />
        <p className="muted">{t("expiredOther")}</p>
      </>
    );
  }
  if (!check.ok) {
    return (
      <>
        <h1>{t("brokenHeading")}</h1>
        <p className="lede">{t.rich("brokenText", { orgName, link: (chunks) => <Link href="/requests/preferences">{chunks}</Link> })}</p>
      </>
    );
  }
  const view = preferenceView(getDb(), { email: check.email, orgName, language });
  return (
    <>
      <h1>{t("title")}</h1>
      <ChoicesNotice query={query} />
      <p className="lede">{t.rich("forAddress", { email: check.email, days, strong: (chunks) => <strong>{chunks}</strong> })}</p>
      <ChoicesForm view={view} token={token} />
      <p className="muted">{t("notOnLists")}</p>
    </>
  );
}
