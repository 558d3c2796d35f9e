import type { Metadata } from "next";
import Link from "next/link";
import { sentTo } from "@/server/sent-to";
import { ResendForm } from "./resend-form";

export const metadata: Metadata = { title: "Check your inbox" };

// The same words whether or not the address is known to us, so this page
// cannot be used to find out who is a supporter. It repeats the address as
// this browser typed it (from a short-lived cookie), so a typo shows.
export default async function CheckInboxPage({ searchParams }: { searchParams: Promise<{ for?: string }> }) {
  const { for: purpose } = await searchParams;
  const sent = await sentTo();
  const isRequest = sent ? sent.purpose === "request" : purpose === "request";
  return (
    <>
      <h1>Check your inbox</h1>
      <p className="lede">
        We have sent an email to {sent ? <strong>{sent.email}</strong> : "the address you gave"}.{" "}
        {isRequest
          ? "Open the link in it and press the button on the page it opens to confirm your request. We start work on it as soon as you do."
          : "Open the link in it and press the button on the page it opens to sign in."}
      </p>
      <ul>
        <li>The link works once, for 30 minutes.</li>
        {isRequest ? <li>If you do not confirm within 24 hours, your request is deleted and nothing is sent.</li> : null}
        <li>Nothing there after a few minutes? Check your spam folder, or send the email again below.</li>
      </ul>
      {sent ? (
        <>
          <h2>Not arrived?</h2>
          <ResendForm email={sent.email} purpose={sent.purpose} next={sent.next} />
          <p>
            Not your address, or a typo?{" "}
            {isRequest ? <Link href="/new">Make the request again with the right address</Link> : <Link href="/signin">Sign in with a different address</Link>}
            .
          </p>
        </>
      ) : null}
    </>
  );
}
