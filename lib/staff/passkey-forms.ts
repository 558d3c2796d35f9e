/**
 * What the browser sends during a passkey ceremony, checked before anything
 * looks at it: which half of the ceremony, the authenticator's answer in the
 * shape WebAuthn gives it (the library checks it in depth), and the name of
 * a new passkey, a short line of plain text.
 */
import { z } from "zod";
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const base64url = z.string().regex(/^[A-Za-z0-9_-]{1,1400}$/);

export const PASSKEY_NAME_MAX = 60;

const passkeyName = z
  .string({ error: "Give the passkey a name, such as \"Work laptop\"." })
  .transform((v) => v.trim())
  .refine((v) => v.length > 0, { message: "Give the passkey a name, such as \"Work laptop\"." })
  .refine((v) => v.length <= PASSKEY_NAME_MAX, { message: `Keep the name to ${PASSKEY_NAME_MAX} characters or fewer.` })
  .refine((v) => !CONTROL_CHARACTERS.test(v), { message: "The name must be one line of plain text." });

const registrationAnswer = z.object({
  id: base64url,
  rawId: base64url,
  type: z.literal("public-key"),
  response: z.looseObject({ clientDataJSON: base64url, attestationObject: base64url, transports: z.array(z.string().max(20)).max(10).optional() }),
  clientExtensionResults: z.looseObject({}).optional().default({}),
  authenticatorAttachment: z.string().max(30).optional(),
});

const authenticationAnswer = z.object({
  id: base64url,
  rawId: base64url,
  type: z.literal("public-key"),
  response: z.looseObject({ clientDataJSON: base64url, authenticatorData: base64url, signature: base64url, userHandle: base64url.optional() }),
  clientExtensionResults: z.looseObject({}).optional().default({}),
  authenticatorAttachment: z.string().max(30).optional(),
});

export type RegistrationStep = { step: "options" } | { step: "verify"; name: string; response: RegistrationResponseJSON };
export type AuthenticationStep = { step: "options" } | { step: "verify"; response: AuthenticationResponseJSON };

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const NOT_UNDERSTOOD = "That answer arrived in a shape we do not understand. Please reload the page and try again.";

export function parseRegistrationStep(body: unknown): Parsed<RegistrationStep> {
  const step = z.object({ step: z.enum(["options", "verify"]) }).safeParse(body);
  if (!step.success) return { ok: false, message: NOT_UNDERSTOOD };
  if (step.data.step === "options") return { ok: true, value: { step: "options" } };
  const name = passkeyName.safeParse((body as { name?: unknown }).name);
  if (!name.success) return { ok: false, message: name.error.issues[0]?.message ?? NOT_UNDERSTOOD };
  const response = registrationAnswer.safeParse((body as { response?: unknown }).response);
  if (!response.success) return { ok: false, message: NOT_UNDERSTOOD };
  return { ok: true, value: { step: "verify", name: name.data, response: response.data as RegistrationResponseJSON } };
}

export function parseAuthenticationStep(body: unknown): Parsed<AuthenticationStep> {
  const step = z.object({ step: z.enum(["options", "verify"]) }).safeParse(body);
  if (!step.success) return { ok: false, message: NOT_UNDERSTOOD };
  if (step.data.step === "options") return { ok: true, value: { step: "options" } };
  const response = authenticationAnswer.safeParse((body as { response?: unknown }).response);
  if (!response.success) return { ok: false, message: NOT_UNDERSTOOD };
  return { ok: true, value: { step: "verify", response: response.data as AuthenticationResponseJSON } };
}


/** Removing a passkey, or resetting a member's: a hidden field names it. */
export function parsePasskeyIdForm(input: Record<string, string>): { ok: true; value: { id: number } } | { ok: false; fieldErrors: Record<string, string> } {
  const id = /^\d{1,12}$/.test(input.id ?? "") ? Number(input.id) : null;
  return id === null ? { ok: false, fieldErrors: { id: "Choose a passkey to remove." } } : { ok: true, value: { id } };
}

export function parsePasskeyPolicyForm(input: Record<string, string>): { ok: true; value: { required: boolean } } | { ok: false; fieldErrors: Record<string, string> } {
  if (input.passkeys === "required") return { ok: true, value: { required: true } };
  if (input.passkeys === "optional") return { ok: true, value: { required: false } };
  return { ok: false, fieldErrors: { passkeys: "Choose whether every staff member must use a passkey." } };
}
