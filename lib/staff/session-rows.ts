/** Sessions as their table shows them: times written out in the organisation's time zone. */
import { formatInstant } from "@/lib/calendar/format";
import type { SessionSummary } from "@/lib/auth/sessions";

export type SessionRowText = {
  handle: string;
  email?: string;
  device: string;
  current: boolean;
  started: string | null;
  startedIso: string | null;
  lastSeen: string | null;
  lastSeenIso: string | null;
};

export function sessionRowText(session: SessionSummary & { email?: string }, timeZone: string): SessionRowText {
  return {
    handle: session.handle,
    ...(session.email !== undefined ? { email: session.email } : {}),
    device: session.device,
    current: session.current,
    started: session.startedAt ? formatInstant(session.startedAt, timeZone) : null,
    startedIso: session.startedAt?.toISOString() ?? null,
    lastSeen: session.lastSeenAt ? formatInstant(session.lastSeenAt, timeZone) : null,
    lastSeenIso: session.lastSeenAt?.toISOString() ?? null,
  };
}
