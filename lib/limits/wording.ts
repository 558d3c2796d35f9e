/**
 * What a person is told when a limit stops them: what the limit is and when
 * they can try again, in one or two plain sentences.
 */
import { countOf } from "@/lib/language/plural";

/** "in 12 minutes", "in 3 hours": rounded up, so trying at that time works. */
export function whenToTryAgain(msBeforeNext: number): string {
  const minutes = Math.max(1, Math.ceil(msBeforeNext / 60_000));
  if (minutes === 1) return "in a minute";
  if (minutes < 60) return `in ${countOf(minutes, "minute")}`;
  const hours = Math.ceil(minutes / 60);
  return hours === 1 ? "in an hour" : `in ${countOf(hours, "hour")}`;
}

const times = (n: number, what: string) => countOf(n, what);

export const RATE_LIMIT_SENTENCES = {
  linksPerAddressPerHour: (n: number, when: string) =>
    `We send at most ${times(n, "sign-in or confirmation email")} an hour to one address, and this address has had them. Please try again ${when}.`,
  linksPerAddressPerDay: (n: number, when: string) =>
    `We send at most ${times(n, "sign-in or confirmation email")} a day to one address, and this address has had them. Please try again ${when}.`,
  linkRequestsPerIpPerHour: (n: number, when: string) =>
    `We accept at most ${times(n, "request")} for sign-in or confirmation emails an hour from one network, and yours has reached that. Please try again ${when}.`,
  draftsPerIpPerHour: (n: number, when: string) =>
    `We accept at most ${times(n, "new request")} an hour from one network, and yours has reached that. Please try again ${when}.`,
  linkFailuresPerIpPer15Minutes: (n: number, when: string) =>
    `Too many sign-in links from your network did not work: we allow ${times(n, "failed attempt")} in 15 minutes. Please try again ${when}.`,
  mailPerAddressPerDay: (n: number, when: string) =>
    `Held back: we send at most ${times(n, "email")} a day to one address. It will go ${when}.`,
} as const;
