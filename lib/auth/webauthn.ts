/**
 * The WebAuthn ceremonies, with @simplewebauthn/server: the options a
 * browser needs to make or use a passkey, and the check of its answer. The
 * relying party is the portal's public address (APP_URL): its host name is
 * the RP ID and its origin the only origin accepted. Browsers refuse an IP
 * address as an RP ID, so passkeys need APP_URL to name a host.
 */
import { isIP } from "node:net";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { CHALLENGE_MINUTES } from "./second-factor";

export type RelyingParty = { id: string; origin: string; name: string };

export const IP_ADDRESS_PROBLEM =
  "Passkeys need the portal to be reached by a host name: APP_URL names an IP address, which browsers do not accept for passkeys.";

/** The relying party for an APP_URL, or why passkeys cannot work there. */
export function relyingPartyFor(appUrl: string, orgName: string): { ok: true; rp: RelyingParty } | { ok: false; message: string } {
  const url = new URL(appUrl);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) !== 0) return { ok: false, message: IP_ADDRESS_PROBLEM };
  return { ok: true, rp: { id: host, origin: url.origin, name: orgName } };
}

/** A stored passkey as the ceremonies need it. */
export type StoredCredential = { credentialId: string; publicKey: string; counter: number; transports: string[] | null };

const TRANSPORTS: readonly AuthenticatorTransportFuture[] = ["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"];

function transportsOf(list: string[] | null | undefined): AuthenticatorTransportFuture[] | undefined {
  const known = (list ?? []).filter((t): t is AuthenticatorTransportFuture => (TRANSPORTS as readonly string[]).includes(t));
  return known.length > 0 ? known : undefined;
}

/**
 * What the browser needs to make a new passkey for `email`; its existing ones are excluded so one device is not listed
 * twice. `userHandle` is the account's own random id (never the address): the same for every passkey of the account.
 */
export function registrationOptions(
  rp: RelyingParty,
  input: { email: string; userHandle: string; existing: StoredCredential[] },
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userID: new TextEncoder().encode(input.userHandle),
    userName: input.email,
    userDisplayName: input.email,
    attestationType: "none",
    timeout: CHALLENGE_MINUTES * 60_000,
    excludeCredentials: input.existing.map((c) => ({ id: c.credentialId, transports: transportsOf(c.transports) })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
  });
}

/** What the browser needs to use one of `credentials`. */
export function authenticationOptions(rp: RelyingParty, credentials: StoredCredential[]): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return generateAuthenticationOptions({
    rpID: rp.id,
    timeout: CHALLENGE_MINUTES * 60_000,
    userVerification: "preferred",
    allowCredentials: credentials.map((c) => ({ id: c.credentialId, transports: transportsOf(c.transports) })),
  });
}

export type CeremonyOutcome<T> = { ok: true; value: T } | { ok: false; message: string };

export const NOT_ACCEPTED = "That passkey was not accepted. Please try again.";

/** Checks a new passkey's answer against the challenge; the credential to store, or why not. */
export async function checkRegistration(
  rp: RelyingParty,
  input: { response: RegistrationResponseJSON; challenge: string },
): Promise<CeremonyOutcome<StoredCredential>> {
  try {
    const checked = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: input.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      // The passkey is the second factor after the emailed link: having it is what counts.
      requireUserVerification: false,
    });
    if (!checked.verified) return { ok: false, message: NOT_ACCEPTED };
    const { credential } = checked.registrationInfo;
    return {
      ok: true,
      value: {
        credentialId: credential.id,
        publicKey: Buffer.from(credential.publicKey).toString("base64url"),
        counter: credential.counter,
        transports: credential.transports ?? input.response.response.transports ?? null,
      },
    };
  } catch {
    // The library throws on any mismatch (origin, challenge, RP ID, format); the reason is not for the browser.
    return { ok: false, message: NOT_ACCEPTED };
  }
}

/**
 * Whether a signature counter may follow the one stored: it must move on,
 * unless the authenticator keeps none (both zero). One that stands still or
 * goes back is a copied key (WebAuthn, "Signature Counter Considerations").
 */
export function counterMovesOn(stored: number, next: number): boolean {
  return (stored === 0 && next === 0) || next > stored;
}

/** Checks a passkey's answer against the challenge and the stored credential; the new signature counter, or why not. */
export async function checkAuthentication(
  rp: RelyingParty,
  input: { response: AuthenticationResponseJSON; challenge: string; credential: StoredCredential },
): Promise<CeremonyOutcome<{ newCounter: number }>> {
  try {
    const checked = await verifyAuthenticationResponse({
      response: input.response,
      expectedChallenge: input.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: false,
      credential: {
        id: input.credential.credentialId,
        publicKey: new Uint8Array(Buffer.from(input.credential.publicKey, "base64url")),
        counter: input.credential.counter,
        transports: transportsOf(input.credential.transports),
      },
    });
    return checked.verified ? { ok: true, value: { newCounter: checked.authenticationInfo.newCounter } } : { ok: false, message: NOT_ACCEPTED };
  } catch {
    return { ok: false, message: NOT_ACCEPTED };
  }
}
