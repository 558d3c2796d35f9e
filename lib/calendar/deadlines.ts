/**
 * Legal deadlines, as pure functions of dates and the regime in force.
 *
 * gdpr: one calendar month from receipt (Art. 12(3)); the same date next
 * month, or that month's last day where the date does not exist. It may be
 * extended once, by up to two further months, before the original due date:
 * to two or three calendar months from receipt.
 * ccpa: 45 calendar days from receipt, extendable once by 45 more.
 * While the organisation waits for information it needs from the supporter
 * (UK GDPR Art. 12A), the clock stops; on their reply the due date moves by
 * the days it stood still.
 */
import type { Regime } from "@/db/schema";
import { addCalendarMonths, addDays, daysBetween, type CalendarDate } from "./dates";

export function dueDateFor(receivedOn: CalendarDate, regime: Regime): CalendarDate {
  switch (regime) {
    case "gdpr":
      return addCalendarMonths(receivedOn, 1);
    case "ccpa":
      return addDays(receivedOn, 45);
  }
}

/** How far a deadline may be extended: the choices offered to staff. */
export function extensionChoices(regime: Regime): Array<{ value: string; label: string }> {
  switch (regime) {
    case "gdpr":
      return [
        { value: "1", label: "One more month" },
        { value: "2", label: "Two more months" },
      ];
    case "ccpa":
      return [{ value: "45", label: "45 more days" }];
  }
}

export type ExtensionCheck = { ok: true; newDueOn: CalendarDate } | { ok: false; message: string };

/**
 * The new due date for an extension, or why it is not allowed: only once,
 * only on or before the current due date, and only by what the law allows.
 * The new date is counted from the day of receipt (two or three calendar
 * months, or 90 days), then moved by the days the clock has stood still, so
 * it is the same whether the clock stopped before or after the extension,
 * and never later than the law allows: months added to a due date a stopped
 * clock had already moved, or to a month's last day, land elsewhere.
 */
export function extendDueDate(input: {
  regime: Regime;
  receivedOn: CalendarDate;
  /** Days the clock has stood still so far (already in `dueOn`). */
  daysClockStopped: number;
  dueOn: CalendarDate;
  today: CalendarDate;
  alreadyExtended: boolean;
  amount: string;
  /** While the clock is stopped, the deadline is judged as of the day it stopped. */
  clockStoppedOn?: CalendarDate | null;
}): ExtensionCheck {
  if (input.alreadyExtended) return { ok: false, message: "This deadline has already been extended once; it cannot be extended again." };
  if (daysBetween(input.clockStoppedOn ?? input.today, input.dueOn) < 0) {
    return { ok: false, message: "The deadline has passed: an extension must be made and explained before the original due date." };
  }
  switch (input.regime) {
    case "gdpr":
      if (input.amount !== "1" && input.amount !== "2") return { ok: false, message: "Choose an extension of one or two months." };
      return { ok: true, newDueOn: addDays(addCalendarMonths(input.receivedOn, 1 + Number(input.amount)), input.daysClockStopped) };
    case "ccpa":
      if (input.amount !== "45") return { ok: false, message: "Choose an extension of 45 days." };
      return { ok: true, newDueOn: addDays(input.receivedOn, 45 + 45 + input.daysClockStopped) };
  }
}

/** The due date once a stopped clock restarts: later by the days it stood still. */
export function restartClock(input: { dueOn: CalendarDate; stoppedOn: CalendarDate; restartedOn: CalendarDate }): {
  dueOn: CalendarDate;
  daysStopped: number;
} {
  const daysStopped = Math.max(0, daysBetween(input.stoppedOn, input.restartedOn));
  return { dueOn: addDays(input.dueOn, daysStopped), daysStopped };
}

export type DeadlineState = "on_track" | "due_soon" | "overdue" | "paused";

export type Deadline = {
  dueOn: CalendarDate;
  /** Days from today (or from when the clock stopped) to the due date; 0 on the day itself, negative once late. */
  daysLeft: number;
  state: DeadlineState;
};

/**
 * Where a request stands against its due date. "Due soon" means less than a
 * quarter of its answering period is left. While the clock is stopped the
 * days left stay as they were on the day it stopped.
 */
export function deadlineOf(
  receivedOn: CalendarDate,
  dueOn: CalendarDate,
  today: CalendarDate,
  clockStoppedOn: CalendarDate | null = null,
): Deadline {
  const asOf = clockStoppedOn ?? today;
  const daysLeft = daysBetween(asOf, dueOn);
  const period = Math.max(1, daysBetween(receivedOn, dueOn));
  const state: DeadlineState = clockStoppedOn
    ? "paused"
    : daysLeft < 0
      ? "overdue"
      : daysLeft < period / 4
        ? "due_soon"
        : "on_track";
  return { dueOn, daysLeft, state };
}
