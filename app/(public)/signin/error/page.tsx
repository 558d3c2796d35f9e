import type { Metadata } from "next";
import Link from "next/link";
import { ownValue } from "@/lib/http/own-value";

export const metadata: Metadata = { title: "We could not sign you in" };

/** What went wrong with a sign-in link, in the person's terms. */
const LINK_PROBLEMS: Record<string, { heading: string; text: string }> = {
  used: {
    heading: "This link was already used",
    text: "For your security each link works only once. If you followed it a moment ago, you may still be signed in.",
  },
  expired: {
    heading: "This link has expired",
    text: "For your security each link works only for 30 minutes. Ask for a new one below.",
  },
  invalid: {
    heading: "This link is not valid",
    text: "It may have been copied incompletely, or it is not one of ours. Ask for a new one below.",
  },
};

export default async function SignInErrorPage({ searchParams }: { searchParams: Promise<{ error?: string; link?: string }> }) {
  const { error, link } = await searchParams;
  const usedOrExpired = error === "Verification";
  const problem = usedOrExpired ? ownValue(LINK_PROBLEMS, link) : undefined;
  return (
    <>
      <h1>{problem ? problem.heading : usedOrExpired ? "This link has already been used or has expired" : "We could not sign you in"}</h1>
      {problem ? (
        <p className="lede">
          {problem.text} <Link href="/requests">See your requests</Link>.
        </p>
      ) : usedOrExpired ? (
        <p className="lede">
          For your security each link works only once, and only for 30 minutes. If you already followed it, you may
          still be signed in: <Link href="/requests">see your requests</Link>.
        </p>
      ) : (
        <p className="lede">Something stopped the sign-in. Please ask for a new link.</p>
      )}
      <p>
        <Link className="button" href="/signin">
          Send me a new link
        </Link>
      </p>
      <p className="muted">
        If you were confirming a new request, sign in and make it again from the start page: unconfirmed requests are
        kept for 24 hours only.
      </p>
    </>
  );
}
