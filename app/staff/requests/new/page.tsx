import type { Metadata } from "next";
import { RequestForm } from "@/app/(public)/new/request-form";
import { REQUEST_TYPES } from "@/db/schema";
import { REQUEST_TYPE_INFO } from "@/lib/vocabulary/request-types";
import { calendarDateIn } from "@/lib/calendar/dates";
import { languageName } from "@/lib/language/languages";
import { getSettings } from "@/server/settings";
import { requireStaff } from "@/server/viewer";
import { recordRequestAction } from "./actions";

export const metadata: Metadata = { title: "Record a request" };

export default async function RecordRequestPage() {
  await requireStaff("/staff/requests/new");
  const { timeZone, languages, defaultLanguage } = getSettings();
  const today = calendarDateIn(new Date(), timeZone);
  return (
    <>
      <h1>Record a request</h1>
      <p className="lede">
        For a request that arrived by post, phone or email. Record how you checked the person is who they say they
        are: the request then follows the same deadlines as one made on the web.
      </p>
      <RequestForm
        choices={REQUEST_TYPES.map((t) => ({ type: t, label: REQUEST_TYPE_INFO[t].label, ask: REQUEST_TYPE_INFO[t].ask }))}
        initialType={null}
        signedInEmail={null}
        recording={{ today, languages: languages.map((code) => ({ code, name: languageName(code) })), defaultLanguage }}
        action={recordRequestAction}
      />
    </>
  );
}
