/** Forgets request drafts whose confirmation link has expired, with what they held. */
import { purgeExpiredDrafts } from "@/lib/requests/intake/purge-expired-drafts";
import type { Job } from "./job";

export const purgeDraftsJob: Job = {
  name: "purge-drafts",
  run(db, now) {
    purgeExpiredDrafts(db, now);
  },
};
