import { getWords } from "@/server/words";
import { getDb } from "@/db/client";
import type { Language } from "@/lib/language/languages";
import { formatInstant } from "@/lib/calendar/format";
import { EXPORT_DAYS } from "@/lib/requests/export/build-access-export";
import { exportAvailability } from "@/lib/requests/export/export-downloads";

/** The download links for an access request's export; nothing when there is none. */
export async function ExportDownloads({ reference, email, timeZone, language }: { reference: string; email: string; timeZone: string; language: Language }) {
  const available = exportAvailability(getDb(), { reference, email, now: new Date() });
  if (available.status === "none") return null;
  const t = await getWords("downloads");
  return (
    <section aria-labelledby="downloads-heading">
      <h2 id="downloads-heading">{t("heading")}</h2>
      {available.status === "expired" ? (
        <p className="notice warning">{t("expired", { days: EXPORT_DAYS, ended: formatInstant(available.expiredAt, timeZone, language) })}</p>
      ) : (
        <>
          <p>{t("available", { until: formatInstant(available.expiresAt, timeZone, language) })}</p>
          <ul>
            <li>
              <a href={`/requests/${reference}/export/html`}>{t("read")}</a>
            </li>
            <li>
              <a href={`/requests/${reference}/export/json`} download>
                {t("json")}
              </a>
            </li>
          </ul>
        </>
      )}
    </section>
  );
}

