import { Instant } from "@/app/_components/dates";
import { getDb } from "@/db/client";
import { EXPORT_DAYS } from "@/lib/requests/export/build-access-export";
import { exportAvailability } from "@/lib/requests/export/export-downloads";

/** The download links for an access request's export; nothing when there is none. */
export function ExportDownloads({ reference, email, timeZone }: { reference: string; email: string; timeZone: string }) {
  const available = exportAvailability(getDb(), { reference, email, now: new Date() });
  if (available.status === "none") return null;
  return (
    <section aria-labelledby="downloads-heading">
      <h2 id="downloads-heading">Your data</h2>
      {available.status === "expired" ? (
        <p className="notice warning">
          This export has expired: downloads are kept for {EXPORT_DAYS} days, and this one ended on{" "}
          <Instant at={available.expiredAt} timeZone={timeZone} />. You can make a new request to see your data.
        </p>
      ) : (
        <>
          <p>
            Everything we hold about you, with why we hold it, who receives it, how long we keep it and your rights. Available
            until <Instant at={available.expiresAt} timeZone={timeZone} />. Each download is recorded.
          </p>
          <ul>
            <li>
              <a href={`/requests/${reference}/export/html`}>
                Read your data (web page)
              </a>
            </li>
            <li>
              <a href={`/requests/${reference}/export/json`} download>
                Download your data (JSON file)
              </a>
            </li>
          </ul>
        </>
      )}
    </section>
  );
}
