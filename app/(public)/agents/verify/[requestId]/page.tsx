import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Instant } from "@/app/_components/dates";
import { getDb } from "@/db/client";
import { verificationView } from "@/lib/api/drp/verification";
import { getSettings } from "@/server/settings";

export const metadata: Metadata = { title: "Confirm your request" };
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ requestId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** Where an authorised agent sends the person while their request waits for them to confirm it. Opening it changes nothing. */
export default async function AgentVerificationPage({ params, searchParams }: Props) {
  const { requestId } = await params;
  const query = await searchParams;
  const settings = getSettings();
  const view = verificationView(getDb(), { requestId, requestIdParam: first(query.request_id), redirectTo: first(query.redirect_to), now: new Date() });
  if (view.state === "not_found") notFound();
  return (
    <>
      <h1>Confirm your request</h1>
      {view.state === "waiting" ? (
        <>
          <p className="lede">
            {view.agentName} sent {settings.orgName} a request on your behalf. To make sure it is really yours, we emailed a link to
            the address you gave {view.agentName}.
          </p>
          <p>
            Follow the link in that email to confirm the request; we start on it then. The link works until{" "}
            <Instant at={view.expiresAt} timeZone={settings.timeZone} />. If you cannot find the email, look in your spam folder, or ask{" "}
            {view.agentName} to send the request again.
          </p>
        </>
      ) : null}
      {view.state === "confirmed" ? (
        <>
          <p className="lede">
            Your request is confirmed and we are working on it. Its reference is <strong>{view.reference}</strong>.
          </p>
          {view.returnTo ? (
            <p>
              <a className="button" href={view.returnTo} rel="noreferrer">
                Go back to {view.agentName}
              </a>
            </p>
          ) : null}
        </>
      ) : null}
      {view.state === "lapsed" ? (
        <p className="lede">
          This request was not confirmed in time, so we did not act on it. Ask {view.agentName} to send it again if you still want it.
        </p>
      ) : null}
      {view.state === "revoked" ? <p className="lede">{view.agentName} withdrew this request on your behalf, so we will not act on it.</p> : null}
    </>
  );
}
