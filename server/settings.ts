import { resolveSettings, type ResolvedSettings } from "@/lib/settings/resolve";
import { portalContextOf, type PortalContext } from "@/lib/settings/portal-context";

let cached: ResolvedSettings | undefined;

/** The settings, checked once per process. */
export function getSettings(): ResolvedSettings {
  if (!cached) {
    cached = resolveSettings();
    // next-auth builds its URLs from NEXTAUTH_URL; APP_URL is the one source of truth.
    process.env.NEXTAUTH_URL = cached.appUrl;
  }
  return cached;
}

export function getPortalContext(): PortalContext {
  return portalContextOf(getSettings());
}

/** Session cookies get the __Secure- prefix (and the Secure flag) under https. */
export function usesSecureCookies(): boolean {
  return getSettings().appUrl.startsWith("https://");
}

export function sessionCookieName(): string {
  return `${usesSecureCookies() ? "__Secure-" : ""}next-auth.session-token`;
}
