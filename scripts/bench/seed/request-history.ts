/**
 * One made-up request's life: what happened to it up to `now`, as the row
 * it leaves in `requests` and the events it leaves in the log. The steps and
 * the rules they follow (due dates, stopped clocks, one extension) are the
 * workflow's own; only the choices and the timing are random.
 */
import type { ActorType, RequestStatus, RequestType } from "@/db/schema";
import { addCalendarMonths, addDays, daysBetween, type CalendarDate } from "@/lib/calendar/dates";
import { dueDateFor } from "@/lib/calendar/deadlines";
import type { Random } from "./random";

const DAY = 86_400_000;

export type SeedEvent = {
  at: number;
  actorType: ActorType;
  actorEmail: string | null;
  action: string;
  fromStatus: RequestStatus | null;
  toStatus: RequestStatus | null;
  note: string | null;
  /** The request's status, due date and assignee as this step left them, as appendEvent records them. */
  after?: { status: RequestStatus; dueOn: CalendarDate; assignee: string | null };
};

export type SeedRequest = {
  type: RequestType;
  status: RequestStatus;
  receivedAt: number;
  receivedOn: CalendarDate;
  dueOn: CalendarDate;
  extendedAt: number | null;
  extensionReason: string | null;
  clockStoppedOn: CalendarDate | null;
  daysClockStopped: number;
  assigneeEmail: string | null;
  closedAt: number | null;
  version: number;
  updatedAt: number;
  events: SeedEvent[];
};

const TYPES: ReadonlyArray<readonly [RequestType, number]> = [
  ["access", 35],
  ["erasure", 25],
  ["unsubscribe", 20],
  ["correction", 12],
  ["concern", 8],
];

function dayOf(at: number): CalendarDate {
  return new Date(at).toISOString().slice(0, 10);
}

/** The steps staff and the supporter take, each a delay after the one before, before anything is cut off at `now`. */
function plannedSteps(random: Random, start: number, supporter: string, staffEmail: string): SeedEvent[] {
  const steps: SeedEvent[] = [];
  let at = start;
  // Some requests sit with a busy team and end up late.
  const pace = random.chance(0.08) ? 3 : 1;
  // Whole milliseconds, as the portal stores every instant (a Date's getTime()).
  const later = (minDays: number, maxDays: number) => (at += Math.round(random.between(minDays, maxDays) * DAY * pace));
  const staffStep = (action: string, from: RequestStatus | null, to: RequestStatus | null, note: string | null = null) =>
    steps.push({ at, actorType: "staff", actorEmail: staffEmail, action, fromStatus: from, toStatus: to, note });

  if (random.chance(0.06)) {
    later(0.05, 3);
    steps.push({ at, actorType: "supporter", actorEmail: supporter, action: "canceled", fromStatus: "received", toStatus: "canceled", note: null });
    return steps;
  }
  later(0.2, 6);
  staffStep("review_started", "received", "in_review");
  if (random.chance(0.15)) {
    later(0.5, 4);
    staffStep("question", "in_review", "awaiting_supporter", "Which postal address should we look for?");
    if (random.chance(0.1)) {
      later(45, 70);
      staffStep("canceled", "awaiting_supporter", "canceled", "No answer from the supporter.");
      return steps;
    }
    later(0.5, 12);
    steps.push({ at, actorType: "supporter", actorEmail: supporter, action: "reply", fromStatus: "awaiting_supporter", toStatus: "in_review", note: "The one on Harbour Row." });
  }
  if (random.chance(0.05)) {
    later(1, 10);
    staffStep("extended", null, null, "We need records from a partner organisation.");
  }
  if (random.chance(0.07)) {
    later(1, 15);
    staffStep("denied", "in_review", "denied", "This repeats a request answered last month.");
    return steps;
  }
  later(1, 20);
  staffStep("approved", "in_review", "approved");
  later(0.1, 5);
  staffStep("completed", "approved", "completed", "Done: see the attached summary.");
  return steps;
}

/** Applies the steps that happened by `now` to the request, as the workflow would have. */
function applySteps(request: SeedRequest, steps: SeedEvent[], now: number): void {
  for (const step of steps) {
    if (step.at > now) break;
    request.events.push(step);
    request.version += 1;
    request.updatedAt = step.at;
    if (step.toStatus) request.status = step.toStatus;
    if (step.action === "review_started") request.assigneeEmail = step.actorEmail;
    if (step.action === "question") request.clockStoppedOn = dayOf(step.at);
    if (step.action === "reply" && request.clockStoppedOn) {
      const stopped = Math.max(0, daysBetween(request.clockStoppedOn, dayOf(step.at)));
      request.dueOn = addDays(request.dueOn, stopped);
      request.daysClockStopped += stopped;
      request.clockStoppedOn = null;
    }
    if (step.action === "extended") {
      request.dueOn = addCalendarMonths(request.dueOn, 1);
      request.extendedAt = step.at;
      request.extensionReason = step.note;
    }
    if (step.toStatus === "completed" || step.toStatus === "denied" || step.toStatus === "canceled") {
      request.closedAt = step.at;
      request.clockStoppedOn = null;
    }
    step.after = { status: request.status, dueOn: request.dueOn, assignee: request.assigneeEmail };
  }
}

export function requestHistory(
  random: Random,
  input: { receivedAt: number; now: number; supporter: string; staffEmail: string },
): SeedRequest {
  const receivedOn = dayOf(input.receivedAt);
  const request: SeedRequest = {
    type: random.weighted(TYPES),
    status: "received",
    receivedAt: input.receivedAt,
    receivedOn,
    dueOn: dueDateFor(receivedOn, "gdpr"),
    extendedAt: null,
    extensionReason: null,
    clockStoppedOn: null,
    daysClockStopped: 0,
    assigneeEmail: null,
    closedAt: null,
    version: 1,
    updatedAt: input.receivedAt,
    events: [],
  };
  request.events.push({
    at: input.receivedAt,
    actorType: "supporter",
    actorEmail: input.supporter,
    action: "filed",
    fromStatus: null,
    toStatus: "received",
    note: null,
    after: { status: "received", dueOn: request.dueOn, assignee: null },
  });
  applySteps(request, plannedSteps(random, input.receivedAt, input.supporter, input.staffEmail), input.now);
  return request;
}

/** What the supporter asked, in the shape the request form stores. */
export function detailsFor(type: RequestType, random: Random): Record<string, unknown> {
  switch (type) {
    case "access":
      return random.chance(0.3) ? { type, note: "Including anything from the 2022 campaign, please." } : { type };
    case "correction":
      return { type, changes: { postalAddress: "12 Harbour Row, Portsmouth PO1 2AB" }, note: "I moved last spring." };
    case "erasure":
      return { type, confirmed: true };
    case "unsubscribe":
      return { type };
    case "concern":
      return { type, message: "Why did I get a letter after I asked you to stop writing to me?" };
  }
}
