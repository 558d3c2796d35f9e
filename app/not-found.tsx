import Link from "next/link";
import { getWords } from "@/server/words";

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
