/** The outbox: delivers the messages that are due, a few at a time, within the sending rate. */
import type { Db } from "@/db/connection";
import { deliverDueMail, type Clock, type DeliveryGate, type MailPolicy, type PersonalLinksFor } from "@/lib/mail/deliver";
import type { MailBrand } from "@/lib/mail/render";
import type { MailTransport } from "@/lib/mail/transport";
import { countOf } from "@/lib/language/plural";
import { smtpProblem } from "@/lib/mail/smtp-problem";
import type { Job } from "./job";

export function outboxJob(options: {
  transport: MailTransport;
  brand: MailBrand;
  policy: MailPolicy;
  /** Signs each message's links for its recipient; absent: messages carry none. */
  personalLinks?: PersonalLinksFor;
  clock: Clock;
  /** This worker's claim on the messages it is sending. */
  token: string;
  stopping: () => boolean;
  log: (line: string) => void;
  gate?: DeliveryGate;
}): Job {
  return {
    name: "outbox",
    async run(db: Db) {
      const report = await deliverDueMail(db, options.transport, {
        brand: options.brand,
        personalLinks: options.personalLinks,
        policy: options.policy,
        clock: options.clock,
        token: options.token,
        stopping: options.stopping,
        log: options.log,
        gate: options.gate,
      });
      if (report.retrying || report.failed) {
        options.log(
          `[mail] ${countOf(report.retrying + report.failed, "message")} could not be sent: ${smtpProblem(report.lastErrorCode)}; ` +
            `${report.failed} newly marked failed after ${options.policy.maxAttempts} tries; all will be retried`,
        );
      }
    },
  };
}
