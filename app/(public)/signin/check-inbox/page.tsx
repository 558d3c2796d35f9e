import type { Metadata } from "next";
import { Link } from "@/app/_components/link";
import { getWords } from "@/server/words";
import { sentTo } from "@/server/sent-to";
import { SendAgainForm } from "@/app/_components/send-again-form";
import { resendLink } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getWords("checkInbox"))("title") };
}

// The same words whether or not the address is known to us, so this page
// cannot be used to find out who is a supporter. It repeats the address as
// this browser typed it (from a short-lived cookie), so a typo shows.
export default async function CheckInboxPage({ searchParams }: { searchParams: Promise<{ for?: string }> }) {
  const { for: purpose } = await searchParams;
  const sent = await sentTo();
  const isRequest = sent ? sent.purpose === "request" : purpose === "request";
  const t = await getWords("checkInbox");
  const strong = (chunks: React.ReactNode) => <strong>{chunks}</strong>;
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="lede">
        {sent ? t.rich("sentTo", { email: sent.email, strong }) : t("sentSomewhere")} {isRequest ? t("openRequest") : t("openSignIn")}
      </p>
      <ul>
        <li>{t("once")}</li>
        {isRequest ? <li>{t("deleted")}</li> : null}
        <li>{t("spam")}</li>
      </ul>
      {sent ? (
        <>
          <h2>{t("notArrived")}</h2>
          <SendAgainForm action={resendLink} fields={{ email: sent.email, purpose: sent.purpose, next: sent.next }} label="resend.button" />
          <p>
            {isRequest
              ? t.rich("wrongAddressRequest", { link: (chunks) => <Link href="/new">{chunks}</Link> })
              : t.rich("wrongAddressSignIn", { link: (chunks) => <Link href="/signin">{chunks}</Link> })}
          </p>
        </>
      ) : null}
    </>
  );
}
