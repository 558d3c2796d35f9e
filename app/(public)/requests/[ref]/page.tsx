import type { Metadata } from "next";
import { Link } from "@/app/_components/link";
import { notFound } from "next/navigation";
import { getWords } from "@/server/words";
import { DateOnly, Instant } from "@/app/_components/dates";
import { DaysLeft } from "@/app/_components/days-left";
import { getDb } from "@/db/client";
import { decodedOrEmpty } from "@/lib/http/decode";
import { parseReference } from "@/lib/vocabulary/reference";
import { getSupporterRequest } from "@/lib/requests/views/supporter-views";
import { requestLanguage } from "@/server/language";
import { orgNameIn } from "@/server/org-name";
import { getSettings } from "@/server/settings";
import { requireSignedIn } from "@/server/viewer";
import { AnswerForm } from "./answer-form";
import { CancelForm } from "./cancel-form";
import { ConcernReply } from "./concern-reply";
import { ExportDownloads } from "./export-downloads";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getWords("requestPage"))("title") };
}

const NOTICES = ["confirmed", "filed", "canceled", "answered", "replied"] as const;

export default async function RequestPage({
  params,
  searchParams,
}: {
  params: Promise<{ ref: string }>;
  searchParams: Promise<{ notice?: string }>;
}) {
  const { ref } = await params;
  const { notice } = await searchParams;
  const viewer = await requireSignedIn(`/requests/${encodeURIComponent(ref)}`);
  const reference = parseReference(decodedOrEmpty(ref));
  if (!reference) notFound();
  const { timeZone } = getSettings();
  const language = await requestLanguage();
  const orgName = orgNameIn(language);
  const request = getSupporterRequest(getDb(), { reference, email: viewer.email, timeZone, now: new Date(), orgName, language });
  // Another supporter's request looks exactly like one that does not exist.
  if (!request) notFound();
  const t = await getWords("requestPage");
  const colon = (await getWords("formBits"))("colon");
  const known = NOTICES.find((n) => n === notice);
  const shown = known ? t(`notices.${known}`) : null;
  return (
    <>
      <p>
        <Link href="/requests">{t("back")}</Link>
      </p>
      <h1>
        {request.typeLabel} <span className="muted">{request.reference}</span>
      </h1>
      {shown ? (
        <p className="notice success" role="status">
          {shown}
        </p>
      ) : null}
      <dl className="facts">
        <dt>{t("reference")}</dt>
        <dd>{request.reference}</dd>
        <dt>{t("status")}</dt>
        <dd>
          <span className="status">{request.statusLabel}</span>
        </dd>
        <dt>{t("received")}</dt>
        <dd>
          <Instant at={request.receivedAt} timeZone={timeZone} language={language} />
        </dd>
        {request.open && request.atOnce ? (
          <>
            <dt>{t("atOnceLabel")}</dt>
            <dd>{t("atOnce")}</dd>
          </>
        ) : null}
        {request.deadline ? (
          <>
            <dt>{t("answerBy")}</dt>
            <dd>
              <DateOnly date={request.dueOn} language={language} /> (<DaysLeft deadline={request.deadline} language={language} />)
            </dd>
          </>
        ) : null}
        {request.closedAt ? (
          <>
            <dt>{t("closed")}</dt>
            <dd>
              <Instant at={request.closedAt} timeZone={timeZone} language={language} />
            </dd>
          </>
        ) : null}
        {request.asked.map((item) => (
          <div key={item.label} style={{ display: "contents" }}>
            <dt>{item.label}</dt>
            <dd>{item.value}</dd>
          </div>
        ))}
      </dl>

      {request.pendingQuestion !== null ? (
        <section aria-labelledby="question-heading" className="question">
          <h2 id="question-heading">{t("question.heading")}</h2>
          <p>{t("question.asked")}</p>
          <blockquote className="event-note">{request.pendingQuestion}</blockquote>
          <p>{t("question.paused")}</p>
          <AnswerForm reference={request.reference} />
        </section>
      ) : null}

      {/* Only an access request has an export: the others need not look for one. */}
      {request.type === "access" ? <ExportDownloads reference={request.reference} email={viewer.email} timeZone={timeZone} language={language} /> : null}

      <h2>{t("history")}</h2>
      <ol className="history">
        {request.history.map((entry, i) => (
          <li key={i}>
            <Instant at={entry.at} timeZone={timeZone} language={language} />
            {colon}
            {entry.what}
            {entry.note ? <blockquote className="event-note">{entry.note}</blockquote> : null}
          </li>
        ))}
      </ol>

      {request.open && request.type === "concern" ? <ConcernReply reference={request.reference} /> : null}

      {request.canCancel ? (
        <>
          <h2>{t("cancelHeading")}</h2>
          <CancelForm reference={request.reference} />
        </>
      ) : null}
    </>
  );
}
