/**
 * The signed links in our emails that file a request without signing in:
 * the signature proved the address. What the request records of each (its
 * identity check, and the note on its first event), so the supporter's view
 * can tell them apart and say each in the reader's language.
 */
export type SignedLink = "unsubscribe" | "preferences";

export const SIGNED_LINKS: Record<SignedLink, { identityCheck: string; note: string }> = {
  unsubscribe: { identityCheck: "One-click unsubscribe link signed for this address", note: "Sent with the one-click unsubscribe link in one of our emails." },
  preferences: { identityCheck: "Preference link signed for this address", note: "Sent from the preference page, opened with the link in one of our emails." },
};
