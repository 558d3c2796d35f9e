import type { Metadata } from "next";
import { Link } from "@/app/_components/link";
import { getWords } from "@/server/words";
import { linkDestination } from "@/lib/auth/sign-in-link";
import { getSettings } from "@/server/settings";
import { getViewer } from "@/server/viewer";
import { SignInForm } from "./sign-in-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getWords("signIn"))("title") };
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  const safeNext = linkDestination(next, getSettings().appUrl);
  const viewer = await getViewer();
  const t = await getWords("signIn");
  return (
    <>
      <h1>{t("title")}</h1>
      {viewer ? (
        <p className="notice">
          {t.rich("signedInAs", {
            email: viewer.email,
            strong: (chunks) => <strong>{chunks}</strong>,
            link: (chunks) => <Link href="/requests">{chunks}</Link>,
          })}
        </p>
      ) : null}
      <p>{t("intro")}</p>
      <SignInForm next={safeNext} />
    </>
  );
}
