import { randomUUID } from "node:crypto";
import type { Executor } from "@/db/connection";
import { mailOutbox } from "@/db/schema";
import type { RenderedMail } from "./layout";

export type MailToSend = RenderedMail & {
  to: string;
  kind: string;
  requestId?: number;
  /** True for messages holding a sign-in link; their bodies are blanked once sent. */
  sensitive?: boolean;
};

/**
 * Queues a message. Call it inside the transaction that makes the change the
 * message reports, so the change and its email commit (or fail) together.
 */
export function enqueueMail(tx: Executor, mail: MailToSend, options: { now: Date; appUrl: string }): number {
  const host = new URL(options.appUrl).hostname || "rightsdesk.invalid";
  const row = tx
    .insert(mailOutbox)
    .values({
      messageId: `<${randomUUID()}@${host}>`,
      kind: mail.kind,
      toAddress: mail.to,
      subject: mail.subject,
      textBody: mail.text,
      htmlBody: mail.html,
      sensitive: mail.sensitive ?? false,
      requestId: mail.requestId ?? null,
      status: "pending",
      attempts: 0,
      nextAttemptAt: options.now,
      createdAt: options.now,
    })
    .returning({ id: mailOutbox.id })
    .get();
  return row.id;
}
