/**
 * What a request is, on the record: its reference, its type, who it is
 * about, what they asked, in which language, how, under which regime and
 * when it came (the instant and the day its clock started on), and the id
 * another program follows it by. None of these
 * changes while a request is worked; only an erasure or the end of the
 * retention period reduces them, and both do it on the record.
 *
 * A request's first event commits to them by a hash salted with the
 * request's own `identity_salt`, so the record proves what was asked
 * without holding it in the clear: an edit of any of them in the database
 * no longer matches (./request-state.ts). When they are reduced, the salt
 * goes and the removal event commits under a new one to what is left, so
 * the earlier hash can no longer confirm a guess at what was removed.
 */
import { randomSalt } from "./salts";
import { sha256Hex } from "./sha256";

/** The fields as the database stores them: `details` as its JSON text, `receivedAt` in milliseconds. */
export type RequestIdentity = {
  reference: string;
  type: string;
  subjectEmail: string;
  subjectName: string | null;
  details: string;
  language: string;
  channel: string;
  identityCheck: string | null;
  regime: string;
  receivedAt: number;
  receivedOn: string;
  intakeId: string | null;
};

/** The same fields as SQL columns of `requests`, in the order of RequestIdentity, for queries that read them raw. */
export const IDENTITY_COLUMNS = {
  reference: "reference",
  type: "type",
  subjectEmail: "subject_email",
  subjectName: "subject_name",
  details: "details",
  language: "language",
  channel: "channel",
  identityCheck: "identity_check",
  regime: "regime",
  receivedAt: "received_at",
  receivedOn: "received_on",
  intakeId: "intake_id",
} as const satisfies Record<keyof RequestIdentity, string>;

/** Marks the rule, so a hash made another way can never pass for one made this way. */
const IDENTITY_FORMAT = "rightsdesk-request-identity/1";

/** A fresh salt for a request's identity. */
export function newIdentitySalt(): string {
  return randomSalt();
}

/** SHA-256 over the salt and every field, in a fixed order. */
export function identityHash(salt: string, identity: RequestIdentity): string {
  return sha256Hex(
    JSON.stringify([
      IDENTITY_FORMAT,
      salt,
      identity.reference,
      identity.type,
      identity.subjectEmail,
      identity.subjectName,
      identity.details,
      identity.language,
      identity.channel,
      identity.identityCheck,
      identity.regime,
      identity.receivedAt,
      identity.receivedOn,
      identity.intakeId,
    ]),
  );
}
