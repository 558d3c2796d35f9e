import "server-only";
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import type { AuthOptions } from "next-auth";
import type { Adapter } from "next-auth/adapters";
import EmailProvider from "next-auth/providers/email";
import { getDb } from "@/db/client";
import { accounts, sessions, users, verificationTokens } from "@/db/schema";
import { normalizeEmail } from "@/lib/auth/email-address";
import { SIGN_IN_LINK_MINUTES } from "@/lib/auth/sign-in-link";
import { enqueueMail } from "@/lib/mail/outbox";
import { signInMail } from "@/lib/mail/templates";
import { getPortalContext, getSettings, usesSecureCookies } from "./settings";
import { kickWorker } from "./worker";

export const SESSION_HOURS = 12;

export function authOptions(): AuthOptions {
  const settings = getSettings();
  const db = getDb();
  return {
    // The adapter is written for Auth.js; its methods are the ones next-auth 4 calls.
    adapter: DrizzleAdapter(db, {
      usersTable: users,
      accountsTable: accounts,
      sessionsTable: sessions,
      verificationTokensTable: verificationTokens,
    }) as unknown as Adapter,
    providers: [
      EmailProvider({
        maxAge: SIGN_IN_LINK_MINUTES * 60,
        normalizeIdentifier: normalizeEmail,
        // next-auth's own sign-in endpoint also mails through the outbox.
        async sendVerificationRequest({ identifier, url }) {
          const ctx = getPortalContext();
          enqueueMail(
            db,
            {
              ...signInMail({ orgName: ctx.orgName, link: url, linkMinutes: SIGN_IN_LINK_MINUTES }),
              to: identifier,
              kind: "sign-in",
              sensitive: true,
            },
            { now: new Date(), appUrl: ctx.appUrl },
          );
          kickWorker();
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
