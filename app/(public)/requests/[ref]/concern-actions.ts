"use server";

import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { postConcernMessage } from "@/lib/requests/fulfilment/concern-thread";
import { parseConcernMessage } from "@/lib/requests/casework/supporter-forms";
import { formAction } from "@/server/action";
import { supporterRefusal } from "@/server/supporter-refusal";
import { getPortalContext } from "@/server/settings";

export const replyToConcernAction = formAction(
  { access: "signed-in", parse: (input, _viewer, _files, language) => parseConcernMessage(input, language) },
  ({ reference, message }, viewer, language) => {
    const result = postConcernMessage(getDb(), {
      reference,
      actor: { type: "supporter", email: viewer.email },
      message,
      now: new Date(),
      ctx: getPortalContext(),
    });
    if (!result.ok) return { ok: false, message: supporterRefusal(result, language, "concernClosed") };
    redirect(`/requests/${reference}?notice=replied`);
  },
);
