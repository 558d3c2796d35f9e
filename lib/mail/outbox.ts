import { randomUUID } from "node:crypto";
import type { Executor } from "@/db/connection";
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

/** Rows per insert: well inside SQLite's limit on the values one statement may bind. */
const ROWS_PER_INSERT = 500;

/**
 * Queues a message. Call it inside the transaction that makes the change the
 * message reports, so the change and its email commit (or fail) together.
 * The Message-ID is fixed here, so every retry of this message carries it.
 */
export function enqueueMail(tx: Executor, mail: MailToSend, options: { now: Date; appUrl: string }): number {
  return enqueueMails(tx, [mail], options)[0]!;
}

/**
 * Queues several messages with one statement (per 500), as enqueueMail does
 * one: a new request's notice to each staff member costs one insert, not one
 * per person. Returns their ids in order.
 */
export function enqueueMails(tx: Executor, mails: readonly MailToSend[], options: { now: Date; appUrl: string }): number[] {
  const host = new URL(options.appUrl).hostname || "rightsdesk.invalid";
  const ids: number[] = [];
  for (let from = 0; from < mails.length; from += ROWS_PER_INSERT) {
    const rows = mails.slice(from, from + ROWS_PER_INSERT).map((mail) => ({
      messageId: `<${randomUUID()}@${host}>`,
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
      status: "pending" as const,
      attempts: 0,
      nextAttemptAt: options.now,
      createdAt: options.now,
    }));
    ids.push(...tx.insert(mailOutbox).values(rows).returning({ id: mailOutbox.id }).all().map((row) => row.id));
  }
  return ids;
}
