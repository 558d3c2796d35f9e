/**
 * The forms that end a session. The session is named by its handle (a hash
 * of its token) in a hidden field, so an error here is about a stale or
 * tampered page, not something typed.
 */
import { z } from "zod";
import { emailAddress, fieldErrorsOf, type FieldErrors } from "@/lib/forms/fields";

export type SessionFormResult<T> = { ok: true; value: T } | { ok: false; fieldErrors: FieldErrors };

const handle = z.string({ error: "Choose a session to end." }).regex(/^[0-9a-f]{32}$/, { message: "That session could not be recognised; reload the page and try again." });
const email = emailAddress("The staff member's email address", { required: "Choose whose session to end." }).refine(
  (value): value is string => value !== undefined,
  { message: "Choose whose session to end." },
);

function parse<T>(schema: z.ZodType<T>, input: Record<string, string>): SessionFormResult<T> {
  const parsed = schema.safeParse(input);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
}

/** One of the viewer's own sessions. */
export function parseOwnSessionForm(input: Record<string, string>): SessionFormResult<{ handle: string }> {
  return parse(z.object({ handle }), input);
}

/** A staff member's session, for an admin. */
export function parseMemberSessionForm(input: Record<string, string>): SessionFormResult<{ email: string; handle: string }> {
  return parse(z.object({ email, handle }), input);
}

/** "End every other session": the button says which sessions, so a bare request ends none. */
export function parseOtherSessionsForm(input: Record<string, string>): SessionFormResult<{ which: "others" }> {
  return parse(z.object({ which: z.literal("others", { error: "Choose which sessions to end." }) }), input);
}
