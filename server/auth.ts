import "server-only";
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import type { AuthOptions } from "next-auth";
import type { Adapter } from "next-auth/adapters";
import EmailProvider from "next-auth/providers/email";
import { getDb } from "@/db/client";
import { accounts, sessions, users, verificationTokens } from "@/db/schema";
import { normalizeEmail } from "@/lib/vocabulary/email-address";
import { withStoredSessionTokens } from "@/lib/auth/session-adapter";
import { SESSION_HOURS } from "@/lib/auth/sessions";
import { SIGN_IN_LINK_MINUTES } from "@/lib/auth/sign-in-link";
import { getSettings, usesSecureCookies } from "./settings";

export function authOptions(): AuthOptions {
  const settings = getSettings();
  const db = getDb();
  return {
    // The adapter is written for Auth.js; its methods are the ones next-auth 4 calls. Sessions are kept by
    // a hash of their token, so its session methods hash the cookie's token before they look.
    adapter: withStoredSessionTokens({
      ...(DrizzleAdapter(db, {
        usersTable: users,
        accountsTable: accounts,
        sessionsTable: sessions,
        verificationTokensTable: verificationTokens,
      }) as unknown as Adapter),
      // next-auth never spends a link: only the button on the portal's link page does (server/follow-link.ts),
      // and its callback route is not served (app/api/auth/[...nextauth]/route.ts).
      useVerificationToken: async () => null,
    }),
    providers: [
      EmailProvider({
        maxAge: SIGN_IN_LINK_MINUTES * 60,
        normalizeIdentifier: normalizeEmail,
        // Links are only ever sent by the portal's own forms, which apply the limits; next-auth's
        // sign-in endpoint is refused in app/api/auth/[...nextauth]/route.ts, so this is never reached.
        async sendVerificationRequest() {
          throw new Error("Sign-in links are sent by the portal's own forms only.");
        },
      }),
    ],
    secret: settings.authSecret,
    session: { strategy: "database", maxAge: SESSION_HOURS * 3600, updateAge: SESSION_HOURS * 3600 },
    useSecureCookies: usesSecureCookies(),
    pages: { signIn: "/signin", verifyRequest: "/signin/check-inbox", error: "/signin/error" },
    logger: {
      error: (code, metadata) => console.error(`[auth] ${code}`, metadata instanceof Error ? metadata.message : ""),
      warn: (code) => console.warn(`[auth] ${code}`),
      debug: () => {},
    },
  };
}
