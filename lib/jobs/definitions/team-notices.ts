/** The team's notices of new requests: each waiting one becomes a message to every member (lib/requests/intake/new-request-notice.ts). */
import { addressTeamNotices } from "@/lib/requests/intake/new-request-notice";
import type { Job } from "./job";

export function teamNoticesJob(options: { appUrl: string }): Job {
  return {
    name: "team-notices",
    // The messages go out on the next round, straight away; so do any notices left for it.
    run: (db) => addressTeamNotices(db, options).notices > 0,
  };
}
