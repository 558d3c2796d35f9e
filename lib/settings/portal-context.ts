import type { Regime } from "@/db/schema";
import type { Language } from "@/lib/language/languages";
import type { SupporterLimitSettings } from "@/lib/limits/policy";
import type { ResolvedSettings } from "./resolve";
import type { NewRequestNotice } from "./settings";
import type { SigningKey } from "./signing-key";

/** What domain operations need to know about this installation. */
export type PortalContext = {
  orgName: string;
  /** Public base URL, no trailing slash; every emailed link starts with it. */
  appUrl: string;
  timeZone: string;
  regime: Regime;
  authSecret: string;
  /** Absent means "team". */
  newRequestNotice?: NewRequestNotice;
  /** How often one supporter may ask; the defaults when absent. */
  limits?: SupporterLimitSettings;
  /** The language `orgName` and the organisation's statement are written in; English when absent. */
  defaultLanguage?: Language;
  /** The languages supporters may be answered in (LANGUAGES); every language there is a catalogue for when absent. */
  languages?: readonly Language[];
  /** Signs the receipt each request gets when it closes. */
  signingKey: SigningKey;
  /** Months after closing that a request keeps more than its statistics; its receipt says until when. */
  requestRetentionMonths: number;
  /** The authority supporters may complain to, as the organisation names it (COMPLAINT_AUTHORITY); absent or null: the regime's sentence. */
  complaintAuthority?: string | null;
};

/** The context from the installation's settings: the server and the mail worker build it the same way. */
export function portalContextOf(s: ResolvedSettings): PortalContext {
  return {
    orgName: s.orgName,
    appUrl: s.appUrl,
    timeZone: s.timeZone,
    regime: s.regime,
    authSecret: s.authSecret,
    newRequestNotice: s.newRequestNotice,
    limits: s.limits,
    defaultLanguage: s.defaultLanguage,
    languages: s.languages,
    signingKey: s.signingKey,
    requestRetentionMonths: s.requestRetentionMonths,
    complaintAuthority: s.complaintAuthority,
  };
}
