import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "We could not sign you in" };

export default async function SignInErrorPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  const usedOrExpired = error === "Verification";
  return (
    <>
      <h1>{usedOrExpired ? "This link has already been used or has expired" : "We could not sign you in"}</h1>
      {usedOrExpired ? (
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
