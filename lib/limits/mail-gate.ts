import type { DeliveryGate } from "@/lib/mail/deliver";
import { isStaffTemplate } from "@/lib/mail/templates";
import type { OutboxMail } from "@/db/schema";
import type { RateLimits } from "./rate-limits";

/**
 * Mail to staff about their work (new-request notices, the daily digest,
 * alerts) is the organisation writing to itself: it is neither held nor
 * counted. Counted, a busy day of notices used up a staff member's daily
 * allowance and held their sign-in link, and the next notices, until the
 * next day. NEW_REQUEST_NOTICE and DIGEST_HOUR are what limit it.
 */
function passesFreely(mail: OutboxMail): boolean {
  return mail.template !== null && isStaffTemplate(mail.template);
}

/**
 * The daily limit on mail to one address, applied where the mail leaves: the
 * server's own worker and `npm run mail:worker` both send through it. A held
 * message waits until the day's window ends; one that then fails to send gives
 * its count back, so retries during an outage do not use up the day.
 */
export function mailGate(limits: () => Promise<RateLimits>, now: () => Date = () => new Date()): DeliveryGate {
  return {
    async admit(mail) {
      if (passesFreely(mail)) return { ok: true };
      const admitted = await (await limits()).admitMail(mail.toAddress);
      return admitted.ok
        ? { ok: true }
        : { ok: false, until: new Date(now().getTime() + admitted.retryAfterSeconds * 1000), reason: admitted.message };
    },
    async giveBack(mail) {
      if (!passesFreely(mail)) await (await limits()).returnMail(mail.toAddress);
    },
  };
}
