"use server";

import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { cancelRequestBySupporter } from "@/lib/requests/intake/cancel-request";
import { answerQuestion } from "@/lib/requests/casework/answer-question";
import { parseAnswer, parseCancel } from "@/lib/requests/casework/supporter-forms";
import { formAction } from "@/server/action";
import { supporterRefusal } from "@/server/supporter-refusal";
import { getPortalContext } from "@/server/settings";
import { kickWorker } from "@/server/worker";

export const cancelRequest = formAction(
  { access: "signed-in", parse: (input, _viewer, _files, language) => parseCancel(input, language) },
  ({ reference }, viewer, language) => {
    const result = cancelRequestBySupporter(getDb(), {
      reference,
      supporterEmail: viewer.email,
      now: new Date(),
      ctx: getPortalContext(),
    });
    if (!result.ok) return { ok: false, message: supporterRefusal(result, language) };
    kickWorker();
    redirect(`/requests/${reference}?notice=canceled`);
  },
);

export const answerQuestionAction = formAction(
  { access: "signed-in", parse: (input, _viewer, _files, language) => parseAnswer(input, language) },
  ({ reference, answer }, viewer, language) => {
    const result = answerQuestion(getDb(), {
      reference,
      supporterEmail: viewer.email,
      answer,
      now: new Date(),
      ctx: getPortalContext(),
    });
    if (!result.ok) return { ok: false, message: supporterRefusal(result, language, "notWaiting") };
    kickWorker();
    redirect(`/requests/${reference}?notice=answered`);
  },
);
