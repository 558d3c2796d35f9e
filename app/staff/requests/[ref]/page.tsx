import { languageNameInEnglish } from "@/lib/language/languages";
import type { Metadata } from "next";
import { Link } from "@/app/_components/link";
import { notFound } from "next/navigation";
import { DateOnly, Instant } from "@/app/_components/dates";
import { DaysLeft } from "@/app/_components/days-left";
import { getDb } from "@/db/client";
import { DENIAL_REASON_WORDS } from "@/lib/api/drp/denial";
import { describeOrigin, originOf } from "@/lib/api/origins";
import { decodedOrEmpty } from "@/lib/http/decode";
import { ownValue } from "@/lib/http/own-value";
import { getFulfilmentView, type FulfilmentView } from "@/lib/requests/fulfilment/staff-fulfilment-view";
import { subjectAddressLabel } from "@/lib/requests/fulfilment/erasure";
import { formatInstant } from "@/lib/calendar/format";
import { getStaffRequest, type StaffRequestView } from "@/lib/requests/views/staff-request-view";
import { parseReference } from "@/lib/vocabulary/reference";
import { listStaffMembers } from "@/lib/staff/staff-members";
import { extensionChoices } from "@/lib/calendar/deadlines";
import { getSettings } from "@/server/settings";
import { READING_ROLES, requireStaff } from "@/server/viewer";
import { worksRequests } from "@/lib/auth/load-viewer";
import {
  answerConcernAction,
  approveAction,
  askAction,
  assignAction,
  cancelAction,
  denyAction,
  extendAction,
  keepBothAction,
  mergeDuplicateAction,
  noteAction,
  startReviewAction,
} from "./actions";
import { LimitFlag } from "./limit-flag";
import { FulfilmentPanel } from "./fulfilment-panel";
import { WorkflowForm } from "./workflow-form";
import { countOf } from "@/lib/language/plural";

/** The reference in the title, so a caseworker with several requests open tells their tabs apart (and hears which one). */
export async function generateMetadata({ params }: { params: Promise<{ ref: string }> }): Promise<Metadata> {
  const reference = parseReference(decodedOrEmpty((await params).ref));
  return { title: reference ? `Request ${reference}` : "Request" };
}

/** DRP's reasons for a refusal, "other" first (the written reason says it). */
const DENIAL_REASONS_IN_ORDER = ["other", "no_match", "insuf_verification", "suspected_fraud", "claim_not_covered", "outside_jurisdiction", "too_many_requests"] as const;

const DONE: Record<string, string> = {
  review_started: "Review started.",
  approved: "Approved.",
  first_approval: "Your approval is recorded as the first of two. Nothing is erased until a different staff member approves.",
  answered: "Answered and closed. The supporter has been emailed your answer.",
  carried_out: "Approved and carried out: the request is complete and the supporter has been emailed.",
  awaiting_tasks: "Approved and carried out here. The request completes by itself once every outside system's task is done.",
  question: "Question sent. The clock is stopped until the supporter answers.",
  extended: "Deadline extended. The supporter has been sent the reason and the new date.",
  completed: "Completed. The supporter has been told.",
  denied: "Refused. The supporter has been sent the reason and their right to complain.",
  canceled: "Closed. The supporter has been sent the reason.",
  assigned: "Assignment changed.",
  noted: "Internal note added.",
  recorded: "Request recorded. The requester has been sent a receipt.",
  overridden: "Limit overridden. Your reason is on the record.",
  decided: "Decisions saved.",
  task_done: "Task marked done.",
  task_retried: "The task will be tried again shortly; this page shows its answer.",
  message: "Message sent to the supporter.",
  merged: "Merged. The later request is now worked through the earlier one and closes with it; the supporter will get one answer naming both.",
  kept_both: "Kept apart: both requests will be answered.",
};

const CHANNEL_WORDS: Record<string, string> = {
  web: "web form, email address confirmed by link",
  post: "by post",
  phone: "by phone",
  email: "by email",
};

export default async function StaffRequestPage({
  params,
  searchParams,
}: {
  params: Promise<{ ref: string }>;
  searchParams: Promise<{ done?: string; conflict?: string }>;
}) {
  const { ref } = await params;
  const { done, conflict } = await searchParams;
  // Auditors read every request; only those who work requests get its forms (and each action checks again).
  const viewer = await requireStaff(`/staff/requests/${encodeURIComponent(ref)}`, READING_ROLES);
  const canAct = worksRequests(viewer.role);
  const reference = parseReference(decodedOrEmpty(ref));
  if (!reference) notFound();
  const { timeZone, orgName } = getSettings();
  const db = getDb();
  const now = new Date();
  const request = getStaffRequest(db, { reference, timeZone, now, orgName });
  const fulfilment = getFulfilmentView(db, { reference, now, timeZone });
  if (!request || !fulfilment) notFound();
  // Requests go to those who work them: an auditor is never among the choices.
  const staff = listStaffMembers(db).filter((s) => worksRequests(s.role));
  // A request another program filed says which: an API key, or an authorised agent.
  const origin = originOf(db, request.intakeId);
  const notice = ownValue(DONE, done);
  const common = { reference: request.reference, version: request.version };
  return (
    <>
      <p>
        <Link href="/staff">← Queue</Link>
      </p>
      <h1>
        {request.typeLabel} <span className="muted">{request.reference}</span>
      </h1>
      {notice ? (
        <p className="notice success" role="status">
          {notice}
        </p>
      ) : null}
      {conflict ? (
        <p className="notice warning" role="alert">
          Someone else changed this request while you were looking at it; it is now {request.statusLabel}. Check it and
          try again.
        </p>
      ) : null}
      <LimitFlag reference={request.reference} version={request.version} open={request.open} timeZone={timeZone} canAct={canAct} />
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <span className="status">{request.statusLabel}</span>
        </dd>
        <dt>Supporter</dt>
        <dd>
          {request.name ? `${request.name}, ` : ""}
          {subjectAddressLabel(request.email)}
        </dd>
        <dt>Received</dt>
        <dd>
          <Instant at={request.receivedAt} timeZone={timeZone} /> ({CHANNEL_WORDS[request.channel] ?? request.channel})
        </dd>
        <dt>Language</dt>
        <dd>
          {languageNameInEnglish(request.language)}: the supporter&apos;s emails are in it; write your questions and answers in it too.
        </dd>
        {origin ? (
          <>
            <dt>Sent by</dt>
            <dd>{describeOrigin(origin)}</dd>
          </>
        ) : null}
        {request.identityCheck ? (
          <>
            <dt>Identity checked</dt>
            <dd>{request.identityCheck}</dd>
          </>
        ) : null}
        <dt>Due</dt>
        <dd>
          {request.movesByItself && request.open ? (
            // Carried out on receipt: an open one waits only for a connected list server; the legal limit still stands.
            <>At once, on receipt: our own lists ended when it came, and it waits only for the connected list servers. The legal limit is </>
          ) : null}
          <DateOnly date={request.dueOn} />
          {request.deadline ? (
            <>
              {" "}
              (<DaysLeft deadline={request.deadline} />)
            </>
          ) : null}
          {request.movesByItself && request.open ? "." : null}
          {request.extensionReason ? <span className="muted"> Extended: {request.extensionReason}</span> : null}
          {request.daysClockStopped > 0 ? <span className="muted"> Clock stopped {countOf(request.daysClockStopped, "day")} in all.</span> : null}
        </dd>
        <dt>Assigned to</dt>
        <dd>{request.assigneeEmail ?? "nobody yet"}</dd>
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

      {request.mergedInto ? (
        <p className="notice" role="note">
          Merged into <Link href={`/staff/requests/${request.mergedInto}`}>{request.mergedInto}</Link>: it is worked there, and
          this request closes with it.
        </p>
      ) : null}
      {request.mergedIn.length > 0 ? (
        <p className="notice" role="note">
          Merged into this request: {request.mergedIn.map((ref, i) => (
            <span key={ref}>
              {i > 0 ? ", " : ""}
              <Link href={`/staff/requests/${ref}`}>{ref}</Link>
            </span>
          ))}
          . Closing this request closes {request.mergedIn.length > 1 ? "them" : "it"} too, and its email names {request.mergedIn.length > 1 ? "them" : "it"}.
        </p>
      ) : null}
      {request.duplicates.length > 0 ? (
        <section aria-labelledby="duplicates-heading" className="notice warning">
          <h2 id="duplicates-heading">Possible duplicate</h2>
          {request.duplicates.map((d) => {
            const later = d.earlier ? request.reference : d.reference;
            const earlier = d.earlier ? d.reference : request.reference;
            return (
              <div key={d.reference}>
                <p>
                  The same address asked for the same thing in <Link href={`/staff/requests/${d.reference}`}>{d.reference}</Link> (
                  {d.earlier ? "earlier" : "later"}, {d.status}).
                </p>
                {canAct ? (
                  <>
                    <WorkflowForm
                      action={mergeDuplicateAction}
                      {...common}
                      hidden={{ other: d.reference }}
                      submitLabel={`Merge ${later} into ${earlier}`}
                      description={`${later} is then worked through ${earlier} and closes with it, the same way; the supporter gets one answer, naming both.`}
                    />
                    <WorkflowForm
                      action={keepBothAction}
                      {...common}
                      hidden={{ other: d.reference }}
                      submitLabel="Keep both"
                      text={{ name: "reason", label: "Why both stand (optional)", hint: "Goes on both records; not sent to the supporter.", rows: 2 }}
                    />
                  </>
                ) : null}
              </div>
            );
          })}
        </section>
      ) : null}

      <FulfilmentPanel view={fulfilment} version={request.version} subjectEmail={request.email} canAct={canAct && !request.mergedInto} />

      {request.open && !canAct && !request.mergedInto ? (
        <p className="notice" role="note">
          You are signed in as an auditor: you can see this request and its whole history, and change nothing.
        </p>
      ) : null}

      {request.open && canAct && !request.mergedInto ? (
        <section aria-labelledby="actions-heading">
          <h2 id="actions-heading">What happens next</h2>
          {request.movesByItself ? (
            <p className="notice">
              Carried out when it arrived: Rightsdesk&apos;s own lists ended at once. It completes by itself, with its email, once every connected
              system above has answered. An objection to direct marketing needs no staff step and cannot be refused or closed.
            </p>
          ) : null}
          {request.status === "received" && !request.movesByItself ? (
            <WorkflowForm action={startReviewAction} {...common} submitLabel="Start review" description="Take this request and start checking it." />
          ) : null}
          {request.status === "in_review" ? (
            <>
              <h3>Ask the supporter</h3>
              <WorkflowForm
                action={askAction}
                {...common}
                submitLabel="Send question"
                text={{ name: "question", label: "Question for the supporter", hint: "Emailed to them. The clock stops until they answer." }}
              />
              {request.type !== "concern" ? <ApproveStep request={request} fulfilment={fulfilment} viewerEmail={viewer.email} timeZone={timeZone} /> : null}
            </>
          ) : null}
          {request.status === "awaiting_supporter" ? (
            <p className="notice">Waiting for the supporter to answer. The clock is stopped.</p>
          ) : null}
          {request.type === "concern" && (request.status === "in_review" || request.status === "approved") ? (
            <>
              <h3>Answer and close</h3>
              <WorkflowForm
                action={answerConcernAction}
                {...common}
                submitLabel="Send the answer and close"
                text={{
                  name: "answer",
                  label: "Answer to the supporter's concern",
                  hint: "Emailed to the supporter and shown on their request's page; the concern is then closed.",
                  rows: 6,
                }}
              />
            </>
          ) : null}
          {request.status === "approved" && fulfilment.selfCompleting ? (
            <p className="notice">Carried out here. The request completes by itself once every outside system&apos;s task is done.</p>
          ) : null}

          <h3>Assign</h3>
          <WorkflowForm
            action={assignAction}
            {...common}
            submitLabel="Assign"
            choice={{
              name: "assignee",
              label: "Staff member",
              defaultValue: request.assigneeEmail ?? viewer.email,
              choices: [{ value: "", label: "Nobody (the team)" }, ...staff.map((s) => ({ value: s.email, label: `${s.email} (${s.role})` }))],
            }}
          />

          {request.canExtend ? (
            <>
              <h3>Extend the deadline</h3>
              <WorkflowForm
                action={extendAction}
                {...common}
                submitLabel="Extend and tell the supporter"
                choice={{ name: "amount", label: "How much longer", choices: extensionChoices(request.regime) }}
                text={{ name: "reason", label: "Reason for the extension", hint: "Sent to the supporter. Allowed once, before the due date." }}
              />
            </>
          ) : null}

          {!request.movesByItself ? (
            <>
              <h3>Refuse</h3>
              <WorkflowForm
                action={denyAction}
                {...common}
                danger
                submitLabel="Refuse the request"
                {...(origin?.kind === "agent"
                  ? {
                      choice: {
                        name: "drpReason",
                        label: `Reason ${origin.name} is given`,
                        choices: DENIAL_REASONS_IN_ORDER.map((value) => ({ value, label: DENIAL_REASON_WORDS[value] })),
                        defaultValue: "other",
                      },
                    }
                  : {})}
                text={{
                  name: "reason",
                  label: "Reason for refusing",
                  hint: "Sent to the supporter with their right to complain to the supervisory authority.",
                }}
              />
              <h3>Close without acting</h3>
              <WorkflowForm
                action={cancelAction}
                {...common}
                danger
                submitLabel="Close the request"
                text={{ name: "reason", label: "Reason for closing", hint: "For example: a duplicate of another request. Sent to the supporter." }}
              />
            </>
          ) : null}
        </section>
      ) : null}

      <h2>Timeline</h2>
      <ol className="history">
        {request.timeline.map((e, i) => (
          <li key={i}>
            <Instant at={e.at} timeZone={timeZone} />: <strong>{e.label}</strong>
            {e.fromStatus || e.toStatus ? ` (${e.fromStatus ?? "new"} → ${e.toStatus ?? "unchanged"})` : ""}
            {e.by ? ` by ${e.by}` : ""}
            {/* Spaced and bracketed for a screen reader and copied text too, where the badge's border does not show. */}
            {e.internal ? (
              <>
                {" "}
                <span className="status">
                  <span className="visually-hidden">(</span>internal<span className="visually-hidden">)</span>
                </span>
              </>
            ) : null}
            {e.dueMoved ? (
              <p>
                Due date moved from <DateOnly date={e.dueMoved.from} /> to <DateOnly date={e.dueMoved.to} />.
              </p>
            ) : null}
            {e.note ? <blockquote className="event-note">{e.note}</blockquote> : null}
            {e.removed ? (
              <p className="muted event-removed">
                What was written here was removed on <Instant at={e.removed.at} timeZone={timeZone} />, because {e.removed.because}.
              </p>
            ) : null}
          </li>
        ))}
      </ol>

      {canAct && !request.mergedInto ? (
        <>
          <h2>Internal note</h2>
          <WorkflowForm
            action={noteAction}
            reference={request.reference}
            submitLabel="Add note"
            text={{ name: "note", label: "Note for staff", hint: "Never shown to the supporter." }}
          />
        </>
      ) : null}
    </>
  );
}

const APPROVE_WORDS: Partial<Record<StaffRequestView["type"], string>> = {
  access: "The export is built from the records and released to the supporter at once, or once every outside system is done. Preview it first above.",
  correction: "The accepted changes are written to the supporter records and the supporter is told which were made.",
};

/**
 * Approving: for access and correction one click; for an erasure, a box that
 * names what goes and what stays, and a second staff member's approval where
 * the organisation asks for two.
 */
function ApproveStep({
  request,
  fulfilment,
  viewerEmail,
  timeZone,
}: {
  request: StaffRequestView;
  fulfilment: FulfilmentView;
  viewerEmail: string;
  timeZone: string;
}) {
  const common = { reference: request.reference, version: request.version };
  const erasure = fulfilment.erasureApproval;
  if (!erasure) {
    return (
      <>
        <h3>Approve</h3>
        <WorkflowForm
          action={approveAction}
          {...common}
          submitLabel="Approve"
          description={`The request is valid: it will now be carried out. ${APPROVE_WORDS[request.type] ?? ""}`.trim()}
        />
      </>
    );
  }
  const first = erasure.first;
  if (erasure.needsTwo && first?.by === viewerEmail) {
    return (
      <>
        <h3>Approve the erasure</h3>
        <p className="notice">
          You gave the first approval on {formatInstant(first.at, timeZone)}. A different staff member must give the second before anything is
          erased.
        </p>
      </>
    );
  }
  const description = !erasure.needsTwo
    ? "Approving erases at once."
    : first
      ? `First approved by ${first.by} on ${formatInstant(first.at, timeZone)}. Yours is the second approval: it erases at once.`
      : "Your organisation asks for two approvals of an erasure. Yours is the first: nothing is erased until a different staff member approves.";
  return (
    <>
      <h3>Approve the erasure</h3>
      <WorkflowForm
        action={approveAction}
        {...common}
        danger
        submitLabel={!erasure.needsTwo ? "Approve and erase" : first ? "Give the second approval and erase" : "Give the first approval"}
        description={description}
        confirm={{ name: "confirmErasure", label: erasure.confirmation }}
      />
    </>
  );
}
