import type { Regime } from "@/db/schema";

/** What domain operations need to know about this installation. */
export type PortalContext = {
  orgName: string;
  /** Public base URL, no trailing slash; every emailed link starts with it. */
  appUrl: string;
  timeZone: string;
  regime: Regime;
  authSecret: string;
};
