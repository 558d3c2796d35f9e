import "server-only";
import { cookies } from "next/headers";
import { z } from "zod";
import { isSafeCallbackPath } from "@/lib/auth/sign-in-link";
import { emailAddress } from "@/lib/forms/fields";
import { usesSecureCookies } from "./settings";

/**
 * Where the last sign-in or confirmation email from this browser went, so
 * "Check your inbox" can repeat the address as it was typed (a typo shows)
 * and offer to send it again. Kept in a short-lived, httpOnly cookie read
 * only under /signin, never in the address bar, where it would reach logs
 * and history.
 */
const COOKIE = "rightsdesk-sent-to";
const LIFETIME_SECONDS = 30 * 60;

const SENT_TO = z.object({
  email: emailAddress("The address", { required: "The address is missing." }).pipe(z.string()),
  purpose: z.enum(["signin", "request"]),
  next: z.string().refine(isSafeCallbackPath),
});

export type SentTo = z.infer<typeof SENT_TO>;

export async function rememberSentTo(value: SentTo): Promise<void> {
  (await cookies()).set(COOKIE, JSON.stringify(value), {
    httpOnly: true,
    sameSite: "lax",
    secure: usesSecureCookies(),
    path: "/signin",
    maxAge: LIFETIME_SECONDS,
  });
}

/** The remembered address, or null when there is none or it is not one this site wrote. */
export async function sentTo(): Promise<SentTo | null> {
  const raw = (await cookies()).get(COOKIE)?.value;
  if (!raw) return null;
  try {
    const parsed = SENT_TO.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
