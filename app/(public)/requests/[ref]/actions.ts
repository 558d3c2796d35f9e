"use server";

import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { cancelRequestBySupporter } from "@/lib/requests/intake/cancel-request";
import { parseReference } from "@/lib/vocabulary/reference";
import { answerQuestion } from "@/lib/requests/casework/answer-question";
import { parseReply } from "@/lib/requests/casework/staff-forms";
import { formAction } from "@/server/action";
import { getPortalContext } from "@/server/settings";
import { kickWorker } from "@/server/worker";

export const cancelRequest = formAction(
  {
    access: "signed-in",
    parse: (input) => {
      const reference = parseReference(input.reference ?? "");
      return reference
        ? { ok: true, value: { reference } }
        : { ok: false, fieldErrors: { reference: "That is not a request reference, such as RD-7K3Q-9XWM." } };
    },
  },
  ({ reference }, viewer) => {
    const result = cancelRequestBySupporter(getDb(), {
      reference,
      supporterEmail: viewer.email,
      now: new Date(),
      ctx: getPortalContext(),
    });
    if (!result.ok) return { ok: false, message: result.message };
    kickWorker();
    redirect(`/requests/${reference}?notice=canceled`);
  },
);

export const answerQuestionAction = formAction(
  { access: "signed-in", parse: parseReply },
  ({ reference, answer }, viewer) => {
    const result = answerQuestion(getDb(), {
      reference,
      supporterEmail: viewer.email,
      answer,
      now: new Date(),
      ctx: getPortalContext(),
    });
    if (!result.ok) return { ok: false, message: result.message };
    kickWorker();
    redirect(`/requests/${reference}?notice=answered`);
  },
);
