import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DateOnly, DaysLeft, Instant } from "@/app/_components/dates";
import { getDb } from "@/db/client";
import { decodedOrEmpty } from "@/lib/http/decode";
import { ownValue } from "@/lib/http/own-value";
import { parseReference } from "@/lib/vocabulary/reference";
import { getSupporterRequest } from "@/lib/requests/views/supporter-views";
import { getSettings } from "@/server/settings";
import { requireSignedIn } from "@/server/viewer";
import { AnswerForm } from "./answer-form";
import { CancelForm } from "./cancel-form";
import { ConcernReply } from "./concern-reply";
import { ExportDownloads } from "./export-downloads";

export const metadata: Metadata = { title: "Your request" };

const NOTICES: Record<string, string> = {
  confirmed: "Thank you: your email address is confirmed and your request has been sent. We have emailed you a receipt.",
  filed: "Your request has been sent. We have emailed you a receipt.",
  canceled: "Your request has been cancelled. We have emailed you to confirm.",
  answered: "Thank you: we have your answer and have started work on your request again.",
  replied: "Your message has been added to your concern.",
};

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
  const { timeZone, orgName } = getSettings();
  const request = getSupporterRequest(getDb(), { reference, email: viewer.email, timeZone, now: new Date(), orgName });
  // Another supporter's request looks exactly like one that does not exist.
  if (!request) notFound();
  const shown = ownValue(NOTICES, notice);
  return (
    <>
      <p>
        <Link href="/requests">← Your requests</Link>
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
        <dt>Reference</dt>
        <dd>{request.reference}</dd>
        <dt>Status</dt>
        <dd>
          <span className="status">{request.statusLabel}</span>
        </dd>
        <dt>Received</dt>
        <dd>
          <Instant at={request.receivedAt} timeZone={timeZone} />
        </dd>
        {request.deadline ? (
          <>
            <dt>We will answer by</dt>
            <dd>
              <DateOnly date={request.dueOn} /> (<DaysLeft deadline={request.deadline} />)
            </dd>
          </>
        ) : null}
        {request.closedAt ? (
          <>
            <dt>Closed</dt>
            <dd>
              <Instant at={request.closedAt} timeZone={timeZone} />
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
          <h2 id="question-heading">We need something from you</h2>
          <p>To carry out your request we asked:</p>
          <blockquote className="event-note">{request.pendingQuestion}</blockquote>
          <p>The time we have to answer is paused until you reply.</p>
          <AnswerForm reference={request.reference} />
        </section>
      ) : null}

      {/* Only an access request has an export: the others need not look for one. */}
      {request.type === "access" ? <ExportDownloads reference={request.reference} email={viewer.email} timeZone={timeZone} /> : null}

      <h2>History</h2>
      <ol className="history">
        {request.history.map((entry, i) => (
          <li key={i}>
            <Instant at={entry.at} timeZone={timeZone} />: {entry.what}
            {entry.note ? <blockquote className="event-note">{entry.note}</blockquote> : null}
          </li>
        ))}
      </ol>

      {request.open && request.type === "concern" ? <ConcernReply reference={request.reference} /> : null}

      {request.open ? (
        <>
          <h2>Cancel this request</h2>
          <CancelForm reference={request.reference} />
        </>
      ) : null}
    </>
  );
}
