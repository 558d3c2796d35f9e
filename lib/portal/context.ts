import type { Regime } from "@/db/schema";
import type { SupporterLimitSettings } from "@/lib/limits/supporter-limits";

/** What domain operations need to know about this installation. */
export type PortalContext = {
  orgName: string;
  /** Public base URL, no trailing slash; every emailed link starts with it. */
  appUrl: string;
  timeZone: string;
  regime: Regime;
  authSecret: string;
  /** How often one supporter may ask; the defaults when absent. */
  limits?: SupporterLimitSettings;
};
