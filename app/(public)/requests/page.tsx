import type { Metadata } from "next";
import { Link } from "@/app/_components/link";
import { redirect } from "next/navigation";
import { getWords } from "@/server/words";
import { DateOnly, Instant } from "@/app/_components/dates";
import { getDb } from "@/db/client";
import { REQUEST_TYPES } from "@/db/schema";
import { isStaff } from "@/lib/auth/load-viewer";
import type { Language } from "@/lib/language/languages";
import { checkSupporterLimitsNow } from "@/lib/requests/intake/supporter-limits";
import { listSupporterRequests } from "@/lib/requests/views/supporter-views";
import { requestLanguage } from "@/server/language";
import { getPortalContext, getSettings } from "@/server/settings";
import { requireSignedIn } from "@/server/viewer";
import { TableScroll } from "@/app/_components/table-scroll";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getWords("requestsPage"))("title") };
}

const NOTICES = { "draft-missing": "draftMissing", "draft-expired": "draftExpired" } as const;

/** Why a confirmed draft was not filed: the limit as it stands now, for this supporter, in their language. */
function limitReason(email: string, type: string | undefined, language: Language): string | null {
  const requestType = REQUEST_TYPES.find((t) => t === type);
  const ctx = getPortalContext();
  const check = requestType ? checkSupporterLimitsNow(getDb(), { email, type: requestType, now: new Date(), ctx, language }) : null;
  return check && !check.ok ? check.message : null;
}

export default async function RequestsPage({ searchParams }: { searchParams: Promise<{ notice?: string; type?: string }> }) {
  const viewer = await requireSignedIn("/requests");
  const { notice, type } = await searchParams;
  const { timeZone } = getSettings();
  const language = await requestLanguage();
  const t = await getWords("requestsPage");
  const choices = await getWords("choices");
  const requests = listSupporterRequests(getDb(), viewer.email, language);
  // Signing in lands here; staff with no requests of their own came for the queue, not for "You have no requests yet".
  if (isStaff(viewer) && requests.length === 0 && notice === undefined) redirect("/staff");
  let shown: string | null = null;
  if (notice === "limit") {
    const reason = limitReason(viewer.email, type, language);
    shown = reason ? t("limit", { reason }) : t("limitAgain");
  } else if (notice === "draft-missing" || notice === "draft-expired") {
    shown = t(NOTICES[notice]);
  }
  return (
    <>
      <h1>{t("title")}</h1>
      {shown ? (
        <p className="notice warning" role="status">
          {shown}
        </p>
      ) : null}
      <p>
        {t.rich("signedInAs", {
          email: viewer.email,
          strong: (chunks) => <strong>{chunks}</strong>,
          link: (chunks) => <Link href="/new">{chunks}</Link>,
        })}
      </p>
      <p>{choices.rich("fromRequests", { link: (chunks) => <Link href="/requests/preferences">{chunks}</Link> })}</p>
      {requests.length === 0 ? (
        <p>{t("none")}</p>
      ) : (
        <TableScroll label={t("title")}>
          <table>
            <caption>{t("caption", { email: viewer.email })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("reference")}</th>
                <th scope="col">{t("request")}</th>
                <th scope="col">{t("status")}</th>
                <th scope="col">{t("received")}</th>
                <th scope="col">{t("dueBy")}</th>
              </tr>
            </thead>
            <tbody>
              {requests.map((r) => (
                <tr key={r.reference}>
                  <td>
                    <Link href={`/requests/${r.reference}`}>{r.reference}</Link>
                  </td>
                  <td>{r.typeLabel}</td>
                  <td>
                    <span className="status">{r.statusLabel}</span>
                  </td>
                  <td>
                    <Instant at={r.receivedAt} timeZone={timeZone} language={language} />
                  </td>
                  <td>{!r.open ? <span className="muted">{t("closed")}</span> : r.atOnce ? t("atOnce") : <DateOnly date={r.dueOn} language={language} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}
