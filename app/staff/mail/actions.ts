"use server";

import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { retryFailedMail } from "@/lib/mail/failed-mail";
import { parseRetryTarget } from "@/lib/mail/retry-form";
import { formAction } from "@/server/action";
import { kickWorker } from "@/server/worker";

export const retryMailAction = formAction({ access: "admin", parse: parseRetryTarget }, (input) => {
  const retried = retryFailedMail(getDb(), { ids: input.ids, now: new Date() });
  kickWorker();
  redirect(`/staff/mail?retried=${retried}`);
});
