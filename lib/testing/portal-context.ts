import type { PortalContext } from "@/lib/portal/context";

/** The installation every database test pretends to be. */
export const TEST_CONTEXT: PortalContext = {
  orgName: "Test Org",
  appUrl: "http://127.0.0.1:3999",
  timeZone: "UTC",
  regime: "gdpr",
  authSecret: "x".repeat(64),
};
