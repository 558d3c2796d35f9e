import type { Metadata } from "next";

export const metadata: Metadata = { title: "Check your inbox" };

// The same words whatever address was given, known or not, so this page
// cannot be used to find out who is a supporter.
export default async function CheckInboxPage({ searchParams }: { searchParams: Promise<{ for?: string }> }) {
  const { for: purpose } = await searchParams;
  const isRequest = purpose === "request";
  return (
    <>
      <h1>Check your inbox</h1>
      <p className="lede">
        We have sent an email to the address you gave.{" "}
        {isRequest
          ? "Open the link in it and press the button on the page it opens to confirm your request. We start work on it as soon as you do."
          : "Open the link in it and press the button on the page it opens to sign in."}
      </p>
      <ul>
        <li>The link works once, for 30 minutes.</li>
        {isRequest ? <li>If you do not confirm within 24 hours, your request is deleted and nothing is sent.</li> : null}
        <li>Nothing there? Check your spam folder, or wait a few minutes and try again.</li>
      </ul>
    </>
  );
}
