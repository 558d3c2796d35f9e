import { Link } from "@/app/_components/link";
import { getWords } from "@/server/words";
import { REQUEST_TYPES } from "@/db/schema";
import { requestLanguage } from "@/server/language";
import { orgNameIn } from "@/server/org-name";
import { getSettings } from "@/server/settings";
import { complaintRight } from "@/lib/language/complaint-right";

export default async function HomePage() {
  const { regime, complaintAuthority } = getSettings();
  const language = await requestLanguage();
  const orgName = orgNameIn(language);
  const t = await getWords("home");
  const types = await getWords("requestTypes");
  const answerTime = t(`answerTime.${regime}`);
  return (
    <>
      <h1>{t("heading")}</h1>
      <p className="lede">{t("lede", { orgName, answerTime })}</p>
      <h2>{t("whatNext")}</h2>
      <ul className="cards">
        {REQUEST_TYPES.map((type) => (
          <li className="card" key={type}>
            <h3>{types(`${type}.label`)}</h3>
            <p>{types(`${type}.explanation`)}</p>
            <Link className="button" href={`/new?type=${type}`}>
              {types(`${type}.start`)}
            </Link>
          </li>
        ))}
      </ul>
      <h2>{t("howItWorks")}</h2>
      <ol>
        <li>{t("step1")}</li>
        <li>{t("step2")}</li>
        <li>{t("step3", { answerTime })}</li>
      </ol>
      <p>{t.rich("alreadyAsked", { link: (chunks) => <Link href="/signin">{chunks}</Link> })}</p>
      <p>{complaintRight(language, regime, complaintAuthority, "home")}</p>
    </>
  );
}
