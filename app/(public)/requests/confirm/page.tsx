import type { Metadata } from "next";
import Link from "next/link";
import { ButtonForm } from "@/app/_components/button-form";
import { getDb } from "@/db/client";
import { CONFIRM_PATH, confirmPathFor, draftToConfirm, isDraftKey } from "@/lib/requests/intake/confirm-draft";
import { requireSignedIn } from "@/server/viewer";

export const metadata: Metadata = { title: "Confirm your request" };

/**
 * A request made before signing in, for its signed-in owner to confirm: this
 * page only shows it and a button (confirming is the button's POST), so
 * opening the address changes nothing.
 */
export default async function ConfirmPage({ searchParams }: { searchParams: Promise<{ draft?: string | string[] }> }) {
  const { draft } = await searchParams;
  const key = isDraftKey(draft) ? draft : null;
  const viewer = await requireSignedIn(key ? confirmPathFor(key) : CONFIRM_PATH);
  const found = key ? draftToConfirm(getDb(), { draftKey: key, viewerEmail: viewer.email, now: new Date() }) : ({ state: "not_found" } as const);
  switch (found.state) {
    case "waiting":
      return (
        <>
          <h1>Confirm your request</h1>
          <p className="lede">
            You asked us: &ldquo;{found.typeLabel}&rdquo;, with <strong>{viewer.email}</strong>. Press the button to send it; we
            start work on it as soon as you do.
          </p>
          <ButtonForm action="/requests/confirm/submit" fields={{ draft: key ?? "" }} label="Confirm my request" pendingLabel="Confirming…" />
        </>
      );
    case "confirmed":
      return (
        <>
          <h1>Your request is confirmed</h1>
          <p className="lede">
            Your request &ldquo;{found.typeLabel}&rdquo; was already confirmed: <Link href={`/requests/${found.reference}`}>follow it here</Link>.
          </p>
        </>
      );
    case "expired":
      return (
        <>
          <h1>This request has expired</h1>
          <p className="lede">
            It was not confirmed within 24 hours, so it was deleted. <Link href="/new">Please make it again</Link>.
          </p>
        </>
      );
    case "not_found":
      return (
        <>
          <h1>We could not find that request</h1>
          <p className="lede">
            It may have been made with another email address. <Link href="/requests">See your requests</Link>, or{" "}
            <Link href="/new">make it again</Link>.
          </p>
        </>
      );
  }
}
