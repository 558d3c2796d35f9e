import type { Metadata } from "next";
import { Link } from "@/app/_components/link";
import { getWords } from "@/server/words";
import { ButtonForm } from "@/app/_components/button-form";
import { getDb } from "@/db/client";
import { CONFIRM_PATH, confirmPathFor, draftToConfirm, isDraftKey } from "@/lib/requests/intake/confirm-draft";
import { requireSignedIn } from "@/server/viewer";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getWords("confirmPage"))("title") };
}

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
  const t = await getWords("confirmPage");
  const types = await getWords("requestTypes");
  const link = (href: string) => (chunks: React.ReactNode) => <Link href={href}>{chunks}</Link>;
  switch (found.state) {
    case "waiting":
      return (
        <>
          <h1>{t("title")}</h1>
          <p className="lede">
            {t.rich("waiting", { type: types(`${found.type}.label`), email: viewer.email, strong: (chunks) => <strong>{chunks}</strong> })}
          </p>
          <ButtonForm
            action="/requests/confirm/submit"
            fields={{ draft: key ?? "" }}
            label={(await getWords("linkPage"))("confirmButton")}
            pendingLabel={(await getWords("linkPage"))("confirming")}
          />
        </>
      );
    case "confirmed":
      return (
        <>
          <h1>{t("confirmedTitle")}</h1>
          <p className="lede">{t.rich("confirmed", { type: types(`${found.type}.label`), link: link(`/requests/${found.reference}`) })}</p>
        </>
      );
    case "expired":
      return (
        <>
          <h1>{t("expiredTitle")}</h1>
          <p className="lede">{t.rich("expired", { link: link("/new") })}</p>
        </>
      );
    case "not_found":
      return (
        <>
          <h1>{t("notFoundTitle")}</h1>
          <p className="lede">{t.rich("notFound", { requests: link("/requests"), new: link("/new") })}</p>
        </>
      );
  }
}
