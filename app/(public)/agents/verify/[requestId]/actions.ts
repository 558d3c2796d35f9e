"use server";

import { getDb } from "@/db/client";
import { wordsFor } from "@/lib/language/catalogue";
import { resendAgentDraftLink, waitingAgentDraftAddress } from "@/lib/requests/intake/create-draft";
import { formAction } from "@/server/action";
import { requestClientAddress } from "@/server/client-address";
import { getRateLimits } from "@/server/rate-limits";
import { getPortalContext } from "@/server/settings";
import { kickWorker } from "@/server/worker";

const REQUEST_ID = /^[0-9a-f-]{36}$/;

/**
 * "Send me a new link" on the page an agent sends the person to. Anyone
 * holding the page's address may ask, as anyone may open it: the link goes
 * only to the address the agent gave, which is never shown, within the same
 * per-address and per-network limits as any emailed link.
 */
export const resendAgentLink = formAction(
  {
    access: "anyone",
    parse: (input, _viewer, _files, language) =>
      REQUEST_ID.test(input.requestId ?? "") ? { ok: true, value: { requestId: input.requestId! } } : { ok: false, fieldErrors: { requestId: wordsFor(language)("agentPage.badId") } },
  },
  async ({ requestId }, _viewer, language) => {
    const words = wordsFor(language);
    const now = new Date();
    const email = waitingAgentDraftAddress(getDb(), { intakeId: requestId, now });
    if (!email) return { ok: false, message: words("agentPage.notWaiting") };
    const admitted = await (await getRateLimits()).admitSignInLink({ ip: await requestClientAddress(), email });
    if (!admitted.ok) return { ok: false, message: admitted.sentenceIn(language) };
    const sent = resendAgentDraftLink(getDb(), { intakeId: requestId, now, ctx: getPortalContext() });
    if (!sent.sent) return { ok: false, message: words("agentPage.notWaiting") };
    kickWorker();
    return { ok: true, message: words("agentPage.sentAgain") };
  },
);
