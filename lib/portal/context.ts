import type { Regime } from "@/db/schema";
import type { SupporterLimitSettings } from "@/lib/limits/supporter-limits";
import type { ResolvedSettings } from "@/lib/settings/resolve";

/**
 * Who hears of a new request: every staff member, nobody, or one staff
 * member to whom new requests are assigned as they arrive.
 */
export type NewRequestNotice = "team" | "off" | { assignee: string };

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
  };
}
