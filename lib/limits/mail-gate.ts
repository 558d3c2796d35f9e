import type { DeliveryGate } from "@/lib/mail/deliver";
import type { RateLimits } from "./rate-limits";

/**
 * The daily limit on mail to one address, applied where the mail leaves: the
 * server's own worker and `npm run mail:worker` both send through it. A held
 * message waits until the day's window ends; one that then fails to send gives
 * its count back, so retries during an outage do not use up the day.
 */
export function mailGate(limits: () => Promise<RateLimits>, now: () => Date = () => new Date()): DeliveryGate {
  return {
    async admit(mail) {
      const admitted = await (await limits()).admitMail(mail.toAddress);
      return admitted.ok
        ? { ok: true }
        : { ok: false, until: new Date(now().getTime() + admitted.retryAfterSeconds * 1000), reason: admitted.message };
    },
    giveBack: async (mail) => (await limits()).returnMail(mail.toAddress),
  };
}
