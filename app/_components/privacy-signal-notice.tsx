import { headers } from "next/headers";
import { Instant } from "@/app/_components/dates";
import { getDb } from "@/db/client";
import type { Viewer } from "@/lib/auth/load-viewer";
import { saleAndSharingObjection } from "@/lib/consent/choices";
import { privacySignalMeaning } from "@/lib/consent/wording";
import { PRIVACY_SIGNAL_HEADER, sendsPrivacySignal } from "@/lib/http/privacy-signal";
import { getSettings } from "@/server/settings";
import { PrivacySignalRecorder } from "./privacy-signal-recorder";

export const SIGNAL_RECEIVED = "Your browser's privacy signal was received.";

/**
 * Said on every page a browser with Global Privacy Control opens: that the
 * signal was received, what it means under the organisation's regime, and
 * whether it is on record for the person signed in (a page view records
 * nothing itself; for someone not yet on record, the page posts it).
 */
export async function PrivacySignalNotice({ viewer }: { viewer: Viewer | null }) {
  if (!sendsPrivacySignal((await headers()).get(PRIVACY_SIGNAL_HEADER))) return null;
  const { regime, timeZone } = getSettings();
  const meaning = privacySignalMeaning(regime);
  if (!viewer) {
    return (
      <p className="notice" role="status">
        {SIGNAL_RECEIVED} We honour it as {meaning}. It goes on record for your email address when you sign in, or when you save
        your email choices from the link in one of our emails.
      </p>
    );
  }
  const objection = saleAndSharingObjection(getDb(), viewer.email);
  if (objection) {
    return (
      <p className="notice success" role="status">
        {SIGNAL_RECEIVED} It is on record for {viewer.email} since <Instant at={objection.at} timeZone={timeZone} />, as {meaning}.
      </p>
    );
  }
  return <PrivacySignalRecorder received={SIGNAL_RECEIVED} meaning={meaning} email={viewer.email} />;
}
