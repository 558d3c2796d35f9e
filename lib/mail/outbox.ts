import { v7 as timeOrderedUuid } from "uuid";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/connection";
import { preparedOnce } from "@/db/prepared";
import { mailOutbox } from "@/db/schema";
import type { MailDraft } from "@/lib/mail/templates";

export type MailToSend = MailDraft & {
  to: string;
  kind: string;
  requestId?: number;
  /** True for messages holding a sign-in link; their props and bodies are blanked once sent. */
  sensitive?: boolean;
  /** The mailing list the message is about, if any: its one-click unsubscribe ends that list only. */
  list?: string | null;
};

export function enqueueMail(tx: Executor, mail: MailToSend, options: { now: Date; appUrl: string }): number {
  return enqueueMails(tx, [mail], options)[0]!;
}

/** Every column a queued message sets, each its own placeholder; the rest keep their defaults. */
const QUEUED_MAIL = {
  messageId: sql.placeholder("messageId"),
  kind: sql.placeholder("kind"),
  toAddress: sql.placeholder("toAddress"),
  subject: sql.placeholder("subject"),
  textBody: sql.placeholder("textBody"),
  htmlBody: sql.placeholder("htmlBody"),
  template: sql.placeholder("template"),
  props: sql.placeholder("props"),
  sensitive: sql.placeholder("sensitive"),
  requestId: sql.placeholder("requestId"),
  list: sql.placeholder("list"),
  status: sql.placeholder("status"),
  attempts: sql.placeholder("attempts"),
  nextAttemptAt: sql.placeholder("nextAttemptAt"),
  createdAt: sql.placeholder("createdAt"),
};

/**
 * Queues several messages, as enqueueMail does one (a new request's notice
 * to each staff member), with one statement prepared once and run for each.
 * Returns their ids in order.
 */
export function enqueueMails(tx: Executor, mails: readonly MailToSend[], options: { now: Date; appUrl: string }): number[] {
  const host = new URL(options.appUrl).hostname || "rightsdesk.invalid";
  const insert = preparedOnce(tx, "outbox: queue a message", (ex) => ex.insert(mailOutbox).values(QUEUED_MAIL).returning({ id: mailOutbox.id }).prepare());
  return mails.map((mail) => {
    const row = insert.get({
      // Time-ordered (RFC 9562 version 7), so a new id goes at the end of the unique index on message ids: a random one
      // landed on a different page of it for every message, and each such page is written out again at commit.
      messageId: `<${timeOrderedUuid()}@${host}>`,
      kind: mail.kind,
      toAddress: mail.to,
      subject: mail.subject,
      // Rendered by the worker when it sends; see lib/mail/deliver.ts.
      textBody: "",
      htmlBody: "",
      template: mail.template.name,
      props: mail.template.props,
      sensitive: mail.sensitive ?? false,
      requestId: mail.requestId ?? null,
      list: mail.list ?? null,
      status: "pending",
      attempts: 0,
      nextAttemptAt: options.now,
      createdAt: options.now,
    });
    return row!.id;
  });
}
