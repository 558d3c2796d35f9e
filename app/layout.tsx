import type { Metadata, Viewport } from "next";
import Link from "next/link";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { isStaff } from "@/lib/auth/load-viewer";
import { getSettings } from "@/server/settings";
import { getViewer } from "@/server/viewer";
import { signOut } from "./(public)/signin/actions";
import { PrivacySignalNotice } from "./_components/privacy-signal-notice";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  await connection();
  const { orgName } = getSettings();
  return {
    title: { default: `Your data rights · ${orgName}`, template: `%s · ${orgName}` },
    description: `Ask ${orgName} to show you the data it holds about you, correct it or delete it, stop its emails, or raise a concern, and follow every step of your request.`,
  };
}

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page depends on settings and the session, read when it is served, never at build.
  await connection();
  const { orgName } = getSettings();
  const viewer = await getViewer();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to main content
        </a>
        <header className="site-header">
          <div className="inner">
            <Link className="brand" href="/">
              {orgName}: your data rights
            </Link>
            <nav className="site-nav" aria-label="Main">
              {viewer ? (
                <>
                  <Link href="/requests">Your requests</Link>
                  {isStaff(viewer) ? <Link href="/staff">Staff queue</Link> : null}
                  <form action={signOut}>
                    <button className="link-button" type="submit">
                      Sign out
                    </button>
                  </form>
                </>
              ) : (
                <Link href="/signin">Sign in</Link>
              )}
            </nav>
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          <PrivacySignalNotice viewer={viewer} />
          {children}
        </main>
        <footer className="site-footer">
          <div className="inner">
            {orgName} uses Rightsdesk to answer data-rights requests on time and on record.
          </div>
        </footer>
      </body>
    </html>
  );
}
