/**
 * Once a day, when BACKUP_DIR is set: a verified backup of the database,
 * keeping the last BACKUP_KEEP (lib/record/backup.ts). A backup that fails
 * or does not verify alerts the admins.
 */
import { calendarDateIn } from "@/lib/calendar/dates";
import { alertAdmins } from "@/lib/record/anchor";
import { anchorsForBackup, backupDatabase } from "@/lib/record/backup";
import { databaseDamageApart } from "@/lib/record/database-damage";
import { claimDay, dayTaken, finishDay } from "@/lib/record/daily-runs";
import type { PublicKey } from "@/lib/settings/signing-key";
import type { Job } from "./job";

export function backupJob(options: {
  databasePath: string;
  backupDir: string;
  keep: number;
  anchorFile: string;
  publicKey: PublicKey;
  timeZone: string;
  orgName: string;
  appUrl: string;
  log: (line: string) => void;
}): Job {
  return {
    name: "backup",
    async run(db, now) {
      const day = calendarDateIn(now, options.timeZone);
      if (dayTaken(db, { job: "backup", day, now }) || !claimDay(db, { job: "backup", day, now })) return;
      const outcome = await backupDatabase({
        databasePath: options.databasePath,
        backupDir: options.backupDir,
        keep: options.keep,
        now,
        anchors: anchorsForBackup(options.anchorFile),
        publicKey: options.publicKey,
        // SQLite reads every page of the copy: in a process of its own, so the server goes on answering meanwhile.
        checkDamage: (file) => databaseDamageApart(file, "quick"),
      });
      const said = outcome.ok ? `Backed up to ${outcome.file}, verified.` : outcome.problem;
      finishDay(db, { job: "backup", day, now: new Date(), outcome: said });
      options.log(`[record] daily backup: ${said}`);
      if (outcome.ok) return;
      return alertAdmins(db, { job: "The daily backup", problem: outcome.problem, now, orgName: options.orgName, appUrl: options.appUrl }) > 0;
    },
  };
}
