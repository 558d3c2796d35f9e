import type { PortalContext } from "@/lib/settings/portal-context";
import { newSigningKey } from "@/lib/settings/signing-key";

/** The installation every database test pretends to be. */
export const TEST_CONTEXT: PortalContext = {
  orgName: "Test Org",
  appUrl: "http://127.0.0.1:3999",
  timeZone: "UTC",
  regime: "gdpr",
  authSecret: "x".repeat(64),
  // Per-supporter limits high enough (and the repeat window empty) never to get in the way
  // of tests about something else; the tests of the limits set their own.
  limits: { openRequestsPerType: 1000, accessRequestsPerYear: 1000, repeatAccessMonths: 0 },
  // A real key, made for this test run: closing a request signs its receipt with it.
  signingKey: newSigningKey(),
  requestRetentionMonths: 36,
};
