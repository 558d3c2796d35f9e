import type { Metadata } from "next";
import Link from "next/link";
import { linkDestination } from "@/lib/auth/sign-in-link";
import { getSettings } from "@/server/settings";
import { getViewer } from "@/server/viewer";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  const safeNext = linkDestination(next, getSettings().appUrl);
  const viewer = await getViewer();
  return (
    <>
      <h1>Sign in</h1>
      {viewer ? (
        <p className="notice">
          You are signed in as <strong>{viewer.email}</strong>. <Link href="/requests">See your requests</Link>, or
          sign in below with another address.
        </p>
      ) : null}
      <p>Sign in with the email address you used for your requests to follow them.</p>
      <SignInForm next={safeNext} />
    </>
  );
}
