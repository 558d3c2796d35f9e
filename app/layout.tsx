import type { Metadata, Viewport } from "next";
import { Link } from "@/app/_components/link";
import { NextIntlClientProvider } from "next-intl";
import { getWords } from "@/server/words";
import { connection } from "next/server";
import { Suspense, type ReactNode } from "react";
import { isStaff } from "@/lib/auth/load-viewer";
import { messagesFor } from "@/lib/language/catalogue";
import { languageName, textDirection } from "@/lib/language/languages";
import { requestLanguage, languageOffer } from "@/server/language";
import { orgNameIn } from "@/server/org-name";
import { getViewer } from "@/server/viewer";
import { LanguageSwitcher } from "./_components/language-switcher";
import { signOut } from "./(public)/signin/actions";
import { PrivacySignalNotice } from "./_components/privacy-signal-notice";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  await connection();
  const language = await requestLanguage();
  const t = await getWords("layout");
  const orgName = orgNameIn(language);
  return {
    title: { default: t("title", { orgName }), template: `%s · ${orgName}` },
    description: t("description", { orgName }),
  };
}

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

/** The parts of the catalogue the client components read; the rest stays on the server. */
const CLIENT_NAMESPACES = ["formBits", "requestForm", "errorPage", "clientForms"] as const;

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page depends on settings and the session, read when it is served, never at build.
  await connection();
  const language = await requestLanguage();
  const t = await getWords("layout");
  const orgName = orgNameIn(language);
  const viewer = await getViewer();
  const messages = messagesFor(language);
  const clientMessages = Object.fromEntries(CLIENT_NAMESPACES.map((namespace) => [namespace, messages[namespace]]));
  const switcher = await getWords("switcher");
  return (
    <html lang={language} dir={textDirection(language)}>
      <body>
        <NextIntlClientProvider messages={clientMessages}>
          <a className="skip-link" href="#main">
            {t("skipLink")}
          </a>
          <header className="site-header">
            <div className="inner">
              <Link className="brand" href="/">
                {t("brand", { orgName })}
              </Link>
              <nav className="site-nav" aria-label={t("mainNav")}>
                {viewer ? (
                  <>
                    <Link href="/requests">{t("yourRequests")}</Link>
                    {isStaff(viewer) ? <Link href="/staff">{t("staffQueue")}</Link> : null}
                    <form action={signOut}>
                      <button className="link-button" type="submit">
                        {t("signOut")}
                      </button>
                    </form>
                  </>
                ) : (
                  <Link href="/signin">{t("signIn")}</Link>
                )}
              </nav>
              <Suspense fallback={null}>
                <LanguageSwitcher
                  current={language}
                  currentLabel={switcher("current", { language: languageName(language) })}
                  choices={languageOffer().offered.map((code) => ({ code, name: languageName(code), label: messagesFor(code).switcher.label }))}
                />
              </Suspense>
            </div>
          </header>
          <main id="main" tabIndex={-1}>
            <PrivacySignalNotice viewer={viewer} />
            {children}
          </main>
          <footer className="site-footer">
            <div className="inner">{t("footer", { orgName })}</div>
          </footer>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
