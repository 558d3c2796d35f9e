/**
 * How often one person, one address or one network may do something. The
 * counts are settings; the windows they are counted over are fixed here.
 */

export type LimitSettings = {
  /** Sign-in and confirmation emails to one address, per hour. */
  linksPerAddressPerHour: number;
  /** ...and per day. */
  linksPerAddressPerDay: number;
  /** Requests for a sign-in or confirmation email from one IP address, per hour. */
  linkRequestsPerIpPerHour: number;
  /** Request drafts (the public form, not signed in) from one IP address, per hour. */
  draftsPerIpPerHour: number;
  /** Sign-in links that fail (used, expired or made up) from one IP address, per 15 minutes. */
  linkFailuresPerIpPer15Minutes: number;
  /** Any email to one address, per day. */
  mailPerAddressPerDay: number;
  /** Open requests of one type per supporter. */
  openRequestsPerType: number;
  /** Access requests per supporter in 12 months, under the `ccpa` regime. */
  accessRequestsPerYear: number;
  /** Under `gdpr`, an access request within this many months of the last is flagged as possibly excessive. */
  repeatAccessMonths: number;
};

/** The limits on how often one supporter may ask (lib/requests/intake/supporter-limits.ts). */
export type SupporterLimitSettings = Pick<LimitSettings, "openRequestsPerType" | "accessRequestsPerYear" | "repeatAccessMonths">;

export const DEFAULT_LIMITS: LimitSettings = {
  linksPerAddressPerHour: 3,
  linksPerAddressPerDay: 10,
  linkRequestsPerIpPerHour: 20,
  draftsPerIpPerHour: 10,
  linkFailuresPerIpPer15Minutes: 10,
  mailPerAddressPerDay: 20,
  openRequestsPerType: 1,
  accessRequestsPerYear: 2,
  repeatAccessMonths: 3,
};

/** The environment variable that sets each limit. */
export const LIMIT_VARIABLES = {
  linksPerAddressPerHour: "LIMIT_LINKS_PER_ADDRESS_HOUR",
  linksPerAddressPerDay: "LIMIT_LINKS_PER_ADDRESS_DAY",
  linkRequestsPerIpPerHour: "LIMIT_LINK_REQUESTS_PER_IP_HOUR",
  draftsPerIpPerHour: "LIMIT_DRAFTS_PER_IP_HOUR",
  linkFailuresPerIpPer15Minutes: "LIMIT_LINK_FAILURES_PER_IP_15_MIN",
  mailPerAddressPerDay: "LIMIT_MAIL_PER_ADDRESS_DAY",
  openRequestsPerType: "LIMIT_OPEN_REQUESTS_PER_TYPE",
  accessRequestsPerYear: "LIMIT_ACCESS_REQUESTS_PER_YEAR",
  repeatAccessMonths: "LIMIT_REPEAT_ACCESS_MONTHS",
} as const satisfies Record<keyof LimitSettings, string>;

export const MINUTE_SECONDS = 60;
export const HOUR_SECONDS = 60 * MINUTE_SECONDS;
export const DAY_SECONDS = 24 * HOUR_SECONDS;
export const LINK_FAILURE_WINDOW_SECONDS = 15 * MINUTE_SECONDS;
