/**
 * Legal deadlines, as pure functions of dates and the regime in force.
 *
 * gdpr: one calendar month from receipt (Art. 12(3)); the same date next
 * month, or that month's last day where the date does not exist.
 * ccpa: 45 calendar days from receipt.
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

export type DeadlineState = "on_track" | "due_soon" | "overdue";

export type Deadline = {
  dueOn: CalendarDate;
  /** Days from today to the due date; 0 on the day itself, negative once late. */
  daysLeft: number;
  state: DeadlineState;
};

/**
 * Where a request stands against its due date. "Due soon" means less than a
 * quarter of its answering period is left.
 */
export function deadlineOf(
  receivedOn: CalendarDate,
  dueOn: CalendarDate,
  today: CalendarDate,
): Deadline {
  const daysLeft = daysBetween(today, dueOn);
  const period = Math.max(1, daysBetween(receivedOn, dueOn));
  const state: DeadlineState =
    daysLeft < 0 ? "overdue" : daysLeft < period / 4 ? "due_soon" : "on_track";
  return { dueOn, daysLeft, state };
}
