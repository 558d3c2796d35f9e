import type { Metadata } from "next";
import { Link } from "@/app/_components/link";
import { getWords } from "@/server/words";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getWords("signInError"))("title") };
}

/** What went wrong with a sign-in link, in the person's terms. */
const LINK_PROBLEMS = ["used", "expired", "invalid"] as const;

export default async function SignInErrorPage({ searchParams }: { searchParams: Promise<{ error?: string; link?: string; request?: string }> }) {
  const { error, link, request } = await searchParams;
  const usedOrExpired = error === "Verification";
  const problem = usedOrExpired ? LINK_PROBLEMS.find((known) => known === link) : undefined;
  const t = await getWords("signInError");
  const requestsLink = (chunks: React.ReactNode) => <Link href="/requests">{chunks}</Link>;
  return (
    <>
      <h1>{problem ? t(`${problem}.heading`) : usedOrExpired ? t("usedOrExpired.heading") : t("title")}</h1>
      {problem ? (
        <p className="lede">
          {t(`${problem}.text`)} <Link href="/requests">{t("seeRequests")}</Link>.
        </p>
      ) : usedOrExpired ? (
        <p className="lede">{t.rich("usedOrExpired.text", { link: requestsLink })}</p>
      ) : (
        <p className="lede">{t("stopped")}</p>
      )}
      <p>
        <Link className="button" href="/signin">
          {t("newLink")}
        </Link>
      </p>
      {/* A confirmation link that was used already: its request went through then (server/follow-link.ts checked). */}
      <p className="muted">{usedOrExpired && request === "confirmed" ? t("confirmedAlready") : t("confirming")}</p>
    </>
  );
}
