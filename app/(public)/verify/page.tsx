import type { Metadata } from "next";
import { getWords } from "@/server/words";
import { requestLanguage } from "@/server/language";
import { orgNameIn } from "@/server/org-name";
import { getSettings } from "@/server/settings";
import { VerifyForm } from "./verify-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getWords("verifyPage"))("title") };
}

export default async function VerifyPage() {
  const { signingKey } = getSettings();
  const orgName = orgNameIn(await requestLanguage());
  const t = await getWords("verifyPage");
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="lede">{t("lede", { orgName })}</p>
      <VerifyForm />
      <h2>{t("withoutUs")}</h2>
      <p>
        {t.rich("publicKey", {
          orgName,
          keyId: signingKey.publicKey.id,
          code: (chunks) => <code>{chunks}</code>,
          link: (chunks) => <a href="/.well-known/rightsdesk-receipt-key.pem">{chunks}</a>,
        })}
      </p>
    </>
  );
}
