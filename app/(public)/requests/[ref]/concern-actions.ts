"use server";

import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { postConcernMessage } from "@/lib/requests/fulfilment/concern-thread";
import { parseMessage } from "@/lib/requests/fulfilment/forms";
import { formAction } from "@/server/action";
import { getPortalContext } from "@/server/settings";

export const replyToConcernAction = formAction(
  { access: "signed-in", parse: parseMessage },
  ({ reference, message }, viewer) => {
    const result = postConcernMessage(getDb(), {
      reference,
      actor: { type: "supporter", email: viewer.email },
      message,
      now: new Date(),
      ctx: getPortalContext(),
    });
    if (!result.ok) return { ok: false, message: result.message };
    redirect(`/requests/${reference}?notice=replied`);
  },
);
