/**
 * Honouring a browser's Global Privacy Control signal for a person we know:
 * their objection to the selling and sharing of their data goes on the
 * record of choices, once, with what the signal means under the regime.
 * Under the CCPA it is a request to opt out of sale and sharing that must
 * be honoured (Cal. Code Regs. tit. 11, 7025); under the GDPR it is an
 * objection made by automated means (Article 21(5)), honoured the same way.
 * Nothing about mailing lists changes: the signal is about selling and
 * sharing, not about the emails a person chose.
 */
import type { Executor } from "@/db/connection";
import type { Regime } from "@/db/schema";
import { objectToSaleAndSharing } from "@/lib/consent/choices";
import { privacySignalWording } from "@/lib/consent/wording";

/** Records the objection; false when it was already on record. */
export function honourPrivacySignal(tx: Executor, input: { email: string; now: Date; regime: Regime }): boolean {
  return objectToSaleAndSharing(tx, { email: input.email, at: input.now, now: input.now, source: { route: "gpc", wording: privacySignalWording(input.regime) } });
}
