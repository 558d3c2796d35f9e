/**
 * How often one supporter may ask: one open request of each type at a time;
 * under the `ccpa` regime at most two access requests in 12 months; under
 * `gdpr` a repeat access request within 3 months is accepted but flagged to
 * staff as possibly excessive (the law lets the organisation refuse a
 * repetitive request, with a reason, but does not make it automatic).
 */
import { and, eq, sql } from "drizzle-orm";
import { preparedOnce } from "@/db/prepared";
import type { Executor } from "@/db/connection";
import { requests, type Regime, type RequestType } from "@/db/schema";
import { formatCalendarDate } from "@/lib/calendar/format";
import type { PortalContext } from "@/lib/settings/portal-context";
import { addCalendarMonths, calendarDateIn, type CalendarDate } from "@/lib/calendar/dates";
import { isOpen } from "@/lib/requests/lifecycle/transitions";
import { DEFAULT_LIMITS, type SupporterLimitSettings } from "@/lib/limits/policy";
import { countOf } from "@/lib/language/plural";
import { wordsFor } from "@/lib/language/catalogue";
import { BASE_LANGUAGE, formattingLocale, type Language } from "@/lib/language/languages";


export type SupporterLimitCheck =
  | {
      ok: true;
      /** For staff: why this request may be excessive, or null. */
      possiblyExcessive: string | null;
    }
  | {
      ok: false;
      limit: "openRequestsPerType" | "accessRequestsPerYear";
      /** For the supporter, in their language: the limit, and when they can ask again. */
      message: string;
      /** The same for staff, about the supporter. */
      staffMessage: string;
      /**
       * For another program that filed it before the person proved the address (the API, an agent): which limit,
       * in English, naming none of the person's requests or dates; the person is emailed those.
       */
      programMessage: string;
    };

/** "one request" said as such; any other number as a count. */
function countedOrOne(n: number, one: string, many: string): string {
  return n === 1 ? one : countOf(n, many.replace(/s$/, ""), many);
}

/**
 * Whether a request received on `receivedOn` is still within `months` of it on `today`: it is until the day
 * `months` later (that month's last day where the date does not exist), the day it is said the person may ask
 * again. Counted forward from the request, so that a request of 29 February is out of the 12 months on 28 February
 * next year, the day the refusal names, not a day later.
 */
function stillWithin(receivedOn: CalendarDate, months: number, today: CalendarDate): boolean {
  return addCalendarMonths(receivedOn, months) > today;
}

/** "A, B and C" in the reader's language. */
function listOf(items: string[], language: Language = BASE_LANGUAGE): string {
  return new Intl.ListFormat(formattingLocale(language), { type: "conjunction" }).format(items);
}

/**
 * Checks whether `email` may file a request of `type` today. Requests staff
 * closed without acting (canceled) do not count against the yearly limit.
 */
export function checkSupporterLimits(
  tx: Executor,
  input: { email: string; type: RequestType; today: CalendarDate; regime: Regime; limits?: SupporterLimitSettings; language?: Language },
): SupporterLimitCheck {
  const language = input.language ?? BASE_LANGUAGE;
  const words = wordsFor(language);
  // Stopping emails is never limited: the objection is honoured at once and the request closes itself.
  if (input.type === "unsubscribe") return { ok: true, possiblyExcessive: null };
  const limits = input.limits ?? DEFAULT_LIMITS;
  const earlier = preparedOnce(tx, "supporter limits: the address's requests of a type", (ex) =>
    ex
      .select({ reference: requests.reference, status: requests.status, receivedOn: requests.receivedOn, dueOn: requests.dueOn })
      .from(requests)
      .where(and(eq(requests.subjectEmail, sql.placeholder("email")), eq(requests.type, sql.placeholder("type"))))
      .prepare(),
  ).all({ email: input.email, type: input.type });

  const open = earlier.filter((r) => isOpen(r.status)).sort((a, b) => a.dueOn.localeCompare(b.dueOn));
  const firstOpen = open[0];
  if (firstOpen && open.length >= limits.openRequestsPerType) {
    const n = limits.openRequestsPerType;
    const references = listOf(open.map((r) => r.reference));
    return {
      ok: false,
      limit: "openRequestsPerType",
      message: words(n === 1 ? "limits.supporter.openOne" : "limits.supporter.openMany", {
        n,
        what: words(`limits.supporter.asks.${input.type}`),
        references: listOf(open.map((r) => r.reference), language),
        dueOn: formatCalendarDate(firstOpen.dueOn, language),
      }),
      staffMessage: `This person already has ${countedOrOne(open.length, "an open request", "open requests")} of this type (${references}); the limit is ${n} at a time.`,
      programMessage: `a person may have ${countedOrOne(n, "one open request", "open requests")} of a type at a time, and this address already has ${n === 1 ? "one" : "that many"}.`,
    };
  }

  if (input.type !== "access") return { ok: true, possiblyExcessive: null };
  const counted = earlier.filter((r) => r.status !== "canceled").sort((a, b) => a.receivedOn.localeCompare(b.receivedOn));

  if (input.regime === "ccpa") {
    const inYear = counted.filter((r) => stillWithin(r.receivedOn, 12, input.today));
    const n = limits.accessRequestsPerYear;
    if (inYear.length >= n) {
      // The request that must drop out of the 12 months before the count is below the limit again.
      const oldestThatMatters = inYear[inYear.length - n] ?? inYear[0];
      const firstInYear = inYear[0];
      if (oldestThatMatters && firstInYear) {
        return {
          ok: false,
          limit: "accessRequestsPerYear",
          message: words("limits.supporter.accessPerYear", {
            n,
            asked: inYear.length,
            since: formatCalendarDate(firstInYear.receivedOn, language),
            again: formatCalendarDate(addCalendarMonths(oldestThatMatters.receivedOn, 12), language),
          }),
          staffMessage: `This person has asked to see their data ${countedOrOne(inYear.length, "once", "times")} in the last 12 months (${listOf(inYear.map((r) => r.reference))}); the limit is ${n}. They can ask again from ${formatCalendarDate(addCalendarMonths(oldestThatMatters.receivedOn, 12))}.`,
          programMessage: `a person may ask to see their data ${countedOrOne(n, "once", "times")} in 12 months, and this address already has.`,
        };
      }
    }
    return { ok: true, possiblyExcessive: null };
  }

  const recent = counted.filter((r) => stillWithin(r.receivedOn, limits.repeatAccessMonths, input.today));
  const latest = recent[recent.length - 1];
  if (!latest) return { ok: true, possiblyExcessive: null };
  return {
    ok: true,
    possiblyExcessive: `Possibly excessive: this supporter's access request ${latest.reference} arrived on ${formatCalendarDate(latest.receivedOn)}, less than ${countedOrOne(limits.repeatAccessMonths, "a month", "months")} before this one. A manifestly excessive request may be refused with a reason; otherwise accept it and answer as usual.`,
  };
}

/** The same check for this installation as it stands `now`: its time zone, legal regime and limits. */
export function checkSupporterLimitsNow(
  tx: Executor,
  input: { email: string; type: RequestType; now: Date; ctx: Pick<PortalContext, "timeZone" | "regime" | "limits">; language?: Language },
): SupporterLimitCheck {
  const { ctx } = input;
  return checkSupporterLimits(tx, {
    email: input.email,
    type: input.type,
    today: calendarDateIn(input.now, ctx.timeZone),
    regime: ctx.regime,
    limits: ctx.limits,
    language: input.language,
  });
}
