"use server";

import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { createDraft } from "@/lib/requests/intake/create-draft";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import { parseRequestForm } from "@/lib/requests/intake/request-form";
import { formAction } from "@/server/action";
import { requestClientAddress } from "@/server/client-address";
import { getRateLimits } from "@/server/rate-limits";
import { rememberSentTo } from "@/server/sent-to";
import { getPortalContext } from "@/server/settings";
import { kickWorker } from "@/server/worker";

export const submitRequest = formAction(
  {
    access: "anyone",
    parse: (input, viewer, _files, language) => parseRequestForm(input, viewer ? { signedInEmail: viewer.email, language } : { language }),
  },
  async (submission, viewer, language) => {
    const now = new Date();
    const ctx = getPortalContext();
    if (viewer) {
      // The address is already proven by the session: the request is filed at once, or the limit is said plainly.
      const filed = fileVerifiedRequest(getDb(), { submission, now, ctx });
      if (!filed.ok) return { ok: false, message: filed.message };
      kickWorker();
      redirect(`/requests/${filed.reference}?notice=filed`);
    }
    const admitted = await (await getRateLimits()).admitDraft({ ip: await requestClientAddress(), email: submission.email });
    if (!admitted.ok) return { ok: false, message: admitted.sentenceIn(language) };
    // Whether a draft and its link or a refusal by email follows, the answer here is the same.
    createDraft(getDb(), { submission, now, ctx });
    kickWorker();
    await rememberSentTo({ email: submission.email, purpose: "request", next: "/requests" });
    redirect("/signin/check-inbox?for=request");
  },
);
