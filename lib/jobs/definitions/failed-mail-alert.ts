/** Tells the admins about mail that keeps failing, at most once an hour (lib/mail/failed-mail.ts). */
import { alertAdminsOfFailedMail } from "@/lib/mail/failed-mail";
import type { Job } from "./job";

export function failedMailAlertJob(options: { orgName: string; appUrl: string; maxAttempts: number }): Job {
  return {
    name: "failed-mail-alert",
    run: (db, now) => alertAdminsOfFailedMail(db, { now, ...options }) > 0,
  };
}
