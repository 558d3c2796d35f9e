import type { Metadata } from "next";
import { Instant } from "@/app/_components/dates";
import { getDb } from "@/db/client";
import { mailOverview } from "@/lib/mail/failed-mail";
import { getSettings } from "@/server/settings";
import { requireStaff } from "@/server/viewer";
import { retryMailAction } from "./actions";
import { RetryButton } from "./retry-button";
import { countOf } from "@/lib/language/plural";
import { TableScroll } from "@/app/_components/table-scroll";

export const metadata: Metadata = { title: "Undelivered mail" };

export default async function UndeliveredMailPage({ searchParams }: { searchParams: Promise<{ retried?: string }> }) {
  await requireStaff("/staff/mail", ["admin"]);
  const { retried } = await searchParams;
  const { timeZone, mailMaxAttempts } = getSettings();
  const { waiting, failed } = mailOverview(getDb());
  const retriedCount = retried !== undefined && /^\d+$/.test(retried) ? Number(retried) : null;
  return (
    <>
      <h1>Undelivered mail</h1>
      {retriedCount !== null ? (
        <p className="notice success" role="status">
          {countOf(retriedCount, "message is", "messages are")} being sent again.
        </p>
      ) : null}
      <p>
        {waiting === 0 ? "No message is waiting to be sent." : `${countOf(waiting, "message is", "messages are")} waiting to be sent.`}
      </p>
      <p className="muted">
        A message is marked failed after {countOf(mailMaxAttempts, "try", "tries")}, and admins get an email about it.
        Unless the mail server refused the message itself, Rightsdesk keeps trying it; retrying sends it again at once.
      </p>
      {failed.length === 0 ? (
        <p>No failed messages.</p>
      ) : (
        <>
          <RetryButton action={retryMailAction} message="all" label={`Retry all ${failed.length} failed`} />
          <TableScroll label="Failed messages">
            <table>
              <caption>Failed messages, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Queued</th>
                  <th scope="col">To</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Tries</th>
                  <th scope="col">Last error</th>
                  <th scope="col">Next try</th>
                  <th scope="col">
                    <span className="visually-hidden">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {failed.map((m) => (
                  <tr key={m.id}>
                    <td>
                      <Instant at={m.queuedAt} timeZone={timeZone} />
                    </td>
                    <td>{m.to}</td>
                    <td>{m.subject}</td>
                    <td>{m.attempts}</td>
                    <td className="error-text">{m.lastError ?? "none recorded"}</td>
                    <td>{m.nextTryAt ? <Instant at={m.nextTryAt} timeZone={timeZone} /> : "only when retried: the mail server refused it"}</td>
                    <td>
                      <RetryButton action={retryMailAction} message={m.id} label="Retry" detail={`"${m.subject}" to ${m.to}`} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
    </>
  );
}
