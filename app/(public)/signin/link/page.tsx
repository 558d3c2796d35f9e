import type { Metadata } from "next";
import { Link } from "@/app/_components/link";
import { getWords } from "@/server/words";
import { ButtonForm } from "@/app/_components/button-form";
import { linkDestination, SIGN_IN_LINK_MINUTES } from "@/lib/auth/sign-in-link";
import { emailAddress } from "@/lib/forms/fields";
import { draftKeyIn } from "@/lib/requests/intake/confirm-draft";
import { requestLanguage } from "@/server/language";
import { orgNameIn } from "@/server/org-name";
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
  const t = await getWords("linkPage");
  return { title: !link ? t("incompleteTitle") : link.confirming ? t("confirmTitle") : t("signInTitle") };
}

/**
 * Where every emailed sign-in and confirmation link lands. Mail scanners open
 * links before people do, so opening this page spends nothing: it says what
 * will happen, and only its button (server/follow-link.ts) uses the link.
 */
export default async function LinkPage({ searchParams }: { searchParams: Promise<LinkQuery> }) {
  const link = linkOf(await searchParams);
  const t = await getWords("linkPage");
  if (!link) {
    return (
      <>
        <h1>{t("incompleteTitle")}</h1>
        <p className="lede">{t("incomplete")}</p>
        <p>
          <Link className="button" href="/signin">
            {t("newLink")}
          </Link>
        </p>
      </>
    );
  }
  const orgName = orgNameIn(await requestLanguage());
  const strong = (chunks: React.ReactNode) => <strong>{chunks}</strong>;
  return (
    <>
      <h1>{link.confirming ? t("confirmTitle") : t("signInHeading", { orgName })}</h1>
      <p className="lede">
        {link.confirming ? t.rich("confirmText", { email: link.email, strong }) : t.rich("signInText", { email: link.email, strong })}
      </p>
      <ButtonForm
        action="/signin/link/follow"
        fields={{ token: link.token, email: link.email, next: link.destination }}
        label={link.confirming ? t("confirmButton") : t("signInButton")}
        pendingLabel={link.confirming ? t("confirming") : t("signingIn")}
      />
      <p className="muted">{t("nothingHappens", { minutes: SIGN_IN_LINK_MINUTES })}</p>
    </>
  );
}
