import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { verifyUnsubscribeToken } from "@/lib/mail/unsubscribe-link";
import { requestLanguage } from "@/server/language";
import { orgNameIn } from "@/server/org-name";
import { getSettings } from "@/server/settings";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("unsubscribePage"))("title") };
}

export default async function UnsubscribePage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string; done?: string; problem?: string }>;
}) {
  const { token, done, problem } = await searchParams;
  const { authSecret } = getSettings();
  const orgName = orgNameIn(await requestLanguage());
  const t = await getTranslations("unsubscribePage");
  if (done) {
    return (
      <>
        <h1>{t("doneHeading")}</h1>
        <p className="lede" role="status">
          {t("done", { orgName })}
        </p>
      </>
    );
  }
  const check = token ? verifyUnsubscribeToken(token, authSecret, new Date()) : null;
  if (!token || !check?.ok || problem) {
    const expired = problem === "expired" || (check && !check.ok && check.reason === "expired");
    return (
      <>
        <h1>{t("brokenHeading")}</h1>
        <p className="lede">
          {expired ? t("expired") : t("invalid")} {t.rich("stillCan", { link: (chunks) => <a href="/new?type=unsubscribe">{chunks}</a> })}
        </p>
      </>
    );
  }
  return (
    <>
      <h1>{t("heading", { orgName })}</h1>
      <p className="lede">{t.rich("text", { email: check.email, orgName, strong: (chunks) => <strong>{chunks}</strong> })}</p>
      <form method="post" action={`/unsubscribe/${encodeURIComponent(token)}`}>
        <input type="hidden" name="List-Unsubscribe" value="One-Click" />
        <button type="submit">{t("button")}</button>
      </form>
    </>
  );
}
