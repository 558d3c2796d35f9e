import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getWords } from "@/server/words";
import { Instant } from "@/app/_components/dates";
import { getDb } from "@/db/client";
import { verificationView } from "@/lib/api/drp/verification";
import { requestLanguage } from "@/server/language";
import { orgNameIn } from "@/server/org-name";
import { getSettings } from "@/server/settings";
import { SIGN_IN_LINK_MINUTES } from "@/lib/auth/sign-in-link";
import { SendAgainForm } from "@/app/_components/send-again-form";
import { resendAgentLink } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getWords("agentPage"))("title") };
}
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ requestId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** Where an authorised agent sends the person while their request waits for them to confirm it. Opening it changes nothing. */
export default async function AgentVerificationPage({ params, searchParams }: Props) {
  const { requestId } = await params;
  const query = await searchParams;
  const settings = getSettings();
  const language = await requestLanguage();
  const orgName = orgNameIn(language);
  const view = verificationView(getDb(), { requestId, requestIdParam: first(query.request_id), redirectTo: first(query.redirect_to), now: new Date() });
  if (view.state === "not_found") notFound();
  const t = await getWords("agentPage");
  const agent = view.agentName;
  return (
    <>
      <h1>{t("title")}</h1>
      {view.state === "waiting" ? (
        <>
          <p className="lede">{t("waiting", { agent, orgName })}</p>
          <p>
            {t.rich("follow", { agent, minutes: SIGN_IN_LINK_MINUTES, until: () => <Instant at={view.expiresAt} timeZone={settings.timeZone} language={language} /> })}
          </p>
          <p>{t("expiredLink", { agent })}</p>
          <SendAgainForm action={resendAgentLink} fields={{ requestId }} label="agentLink" />
        </>
      ) : null}
      {view.state === "confirmed" ? (
        <>
          <p className="lede">{t.rich("confirmed", { reference: view.reference, strong: (chunks) => <strong>{chunks}</strong> })}</p>
          {view.returnTo ? (
            <p>
              <a className="button" href={view.returnTo} rel="noreferrer">
                {t("back", { agent })}
              </a>
            </p>
          ) : null}
        </>
      ) : null}
      {view.state === "lapsed" ? <p className="lede">{t("lapsed", { agent })}</p> : null}
      {view.state === "revoked" ? <p className="lede">{t("revoked", { agent })}</p> : null}
    </>
  );
}
