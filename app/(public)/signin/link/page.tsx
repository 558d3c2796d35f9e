import type { Metadata } from "next";
import Link from "next/link";
import { ButtonForm } from "@/app/_components/button-form";
import { linkDestination, SIGN_IN_LINK_MINUTES } from "@/lib/auth/sign-in-link";
import { emailAddress } from "@/lib/forms/fields";
import { draftKeyIn } from "@/lib/requests/intake/confirm-draft";
import { getSettings } from "@/server/settings";

type LinkQuery = { token?: string | string[]; email?: string | string[]; next?: string | string[] };

const emailField = emailAddress("The address");

/** What the link is for, read from its address alone: this page never looks the link up, and changes nothing. */
function linkOf(query: LinkQuery) {
  const { appUrl } = getSettings();
  const { token, email, next } = query;
  const address = typeof email === "string" ? emailField.safeParse(email) : null;
  if (typeof token !== "string" || token === "" || token.length > 256 || !address?.success || !address.data) return null;
  const destination = linkDestination(next, appUrl);
  return { token, email: address.data, destination, confirming: draftKeyIn(destination, appUrl) !== null };
}

export async function generateMetadata({ searchParams }: { searchParams: Promise<LinkQuery> }): Promise<Metadata> {
  const link = linkOf(await searchParams);
  return { title: !link ? "This link is not complete" : link.confirming ? "Confirm your request" : "Sign in" };
}

/**
 * Where every emailed sign-in and confirmation link lands. Mail scanners open
 * links before people do, so opening this page spends nothing: it says what
 * will happen, and only its button (server/follow-link.ts) uses the link.
 */
export default async function LinkPage({ searchParams }: { searchParams: Promise<LinkQuery> }) {
  const link = linkOf(await searchParams);
  const { orgName } = getSettings();
  if (!link) {
    return (
      <>
        <h1>This link is not complete</h1>
        <p className="lede">Part of the link may have been lost when it was copied. Ask for a new one: it takes a minute.</p>
        <p>
          <Link className="button" href="/signin">
            Send me a new link
          </Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>{link.confirming ? "Confirm your request" : `Sign in to ${orgName}`}</h1>
      <p className="lede">
        {link.confirming ? (
          <>
            Press the button to confirm the request you made with <strong>{link.email}</strong>. We start work on it as
            soon as you do, and you are signed in to follow it.
          </>
        ) : (
          <>
            Press the button to sign in as <strong>{link.email}</strong> and see your requests.
          </>
        )}
      </p>
      <ButtonForm
        action="/signin/link/follow"
        fields={{ token: link.token, email: link.email, next: link.destination }}
        label={link.confirming ? "Confirm my request" : "Sign me in"}
        pendingLabel={link.confirming ? "Confirming…" : "Signing in…"}
      />
      <p className="muted">
        Nothing happens until you press the button, so a program that checks the links in your email cannot use this
        one before you do. The link works once, for {SIGN_IN_LINK_MINUTES} minutes.
      </p>
    </>
  );
}
