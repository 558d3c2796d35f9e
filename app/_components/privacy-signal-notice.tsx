import { headers } from "next/headers";
import { getWords } from "@/server/words";
import { formatInstant } from "@/lib/calendar/format";
import { getDb } from "@/db/client";
import type { Viewer } from "@/lib/auth/load-viewer";
import { saleAndSharingObjection } from "@/lib/consent/choices";
import { privacySignalMeaning } from "@/lib/consent/wording";
import { wordsFor } from "@/lib/language/catalogue";
import { PRIVACY_SIGNAL_HEADER, sendsPrivacySignal } from "@/lib/http/privacy-signal";
import { requestLanguage } from "@/server/language";
import { getSettings } from "@/server/settings";
import { PrivacySignalRecorder } from "./privacy-signal-recorder";

/**
 * Said on every page a browser with Global Privacy Control opens: that the
 * signal was received, what it means under the organisation's regime, and
 * whether it is on record for the person signed in (a page view records
 * nothing itself; for someone not yet on record, the page posts it).
 */
export async function PrivacySignalNotice({ viewer }: { viewer: Viewer | null }) {
  if (!sendsPrivacySignal((await headers()).get(PRIVACY_SIGNAL_HEADER))) return null;
  const { regime, timeZone } = getSettings();
  const language = await requestLanguage();
  const t = await getWords("privacySignal");
  const meaning = privacySignalMeaning(wordsFor(language), regime);
  const received = t("received");
  if (!viewer) {
    return (
      <p className="notice" role="status">
        {received} {t("signedOut", { meaning })}
      </p>
    );
  }
  const objection = saleAndSharingObjection(getDb(), viewer.email);
  if (objection) {
    return (
      <p className="notice success" role="status">
        {received}{" "}
        {t("onRecord", { email: viewer.email, meaning, since: formatInstant(objection.at, timeZone, language) })}
      </p>
    );
  }
  return (
    <PrivacySignalRecorder
      words={{
        received,
        recorded: t("nowOnRecord", { email: viewer.email, meaning }),
        recording: t("willRecord", { email: viewer.email, meaning }),
        recordNow: t("recordNow"),
        tryAgain: t("tryAgain"),
      }}
    />
  );
}
