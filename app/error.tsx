"use client";

import { useTranslations } from "next-intl";

export default function ErrorPage({ error }: { error: Error & { digest?: string } }) {
  const t = useTranslations("errorPage");
  return (
    <>
      <h1>{t("heading")}</h1>
      <p>
        {t("text")}
        {error.digest ? ` ${t("tellUs", { digest: error.digest })}` : ""}
      </p>
    </>
  );
}
