import type { Metadata } from "next";
import { Link } from "@/app/_components/link";
import { getWords } from "@/server/words";
import { getDb } from "@/db/client";
import { findList } from "@/lib/consent/lists";
import { verifyUnsubscribeToken } from "@/lib/mail/unsubscribe-link";
import { requestLanguage } from "@/server/language";
import { orgNameIn } from "@/server/org-name";
import { getSettings } from "@/server/settings";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getWords("unsubscribePage"))("title") };
}

export default async function UnsubscribePage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string; done?: string; problem?: string }>;
}) {
  const { token, done, problem } = await searchParams;
  const { authSecret } = getSettings();
  const orgName = orgNameIn(await requestLanguage());
  const t = await getWords("unsubscribePage");
  const check = typeof token === "string" ? verifyUnsubscribeToken(token, authSecret, new Date()) : null;
  // A link from a message about one list ends that list only, and the page names it as the preference page does.
  const list = check?.ok && check.list ? (findList(getDb(), check.list)?.title ?? check.list) : null;
  if (done) {
    return (
      <>
        <h1>{t("doneHeading")}</h1>
        <p className="lede" role="status">
          {list ? t("doneList", { list }) : t("done", { orgName })}
        </p>
        <p>{t.rich("chooseAgain", { link: (chunks) => <Link href="/requests/preferences">{chunks}</Link> })}</p>
      </>
    );
  }
  if (typeof token !== "string" || !check?.ok || problem) {
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
  const strong = (chunks: React.ReactNode) => <strong>{chunks}</strong>;
  return (
    <>
      <h1>{t("heading", { orgName })}</h1>
      <p className="lede">{list ? t.rich("textList", { email: check.email, list, strong }) : t.rich("text", { email: check.email, orgName, strong })}</p>
      <form method="post" action={`/unsubscribe/${encodeURIComponent(token)}`}>
        <input type="hidden" name="List-Unsubscribe" value="One-Click" />
        <button className="primary" type="submit">
          {list ? t("buttonList", { list }) : t("button", { orgName })}
        </button>
      </form>
    </>
  );
}
