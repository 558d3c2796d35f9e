/** After an erasure: the mail already sent to the erased address keeps no trace of it. */
import { redactMailToErasedSubjects } from "@/lib/requests/fulfilment/erasure";
import type { Job } from "./job";

export function erasureChoresJob(secret: string): Job {
  return {
    name: "erasure-chores",
    run(db) {
      redactMailToErasedSubjects(db, secret);
    },
  };
}
