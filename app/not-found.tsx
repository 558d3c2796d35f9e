import type { Metadata } from "next";
import { Link } from "@/app/_components/link";
import { getWords } from "@/server/words";

/** The tab and the history name the page for what it is, in the reader's language, like every other page. */
export async function generateMetadata(): Promise<Metadata> {
  const t = await getWords("notFound");
  return { title: t("title") };
}

export default async function NotFound() {
  const t = await getWords("notFound");
  return (
    <>
      <h1>{t("title")}</h1>
      <p>{t("text")}</p>
      <p>
        <Link href="/">{t("home")}</Link>
      </p>
    </>
  );
}
