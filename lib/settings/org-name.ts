import { eq } from "drizzle-orm";
import type { Executor } from "@/db/connection";
import { orgTexts } from "@/db/schema";
import { BASE_LANGUAGE, type Language } from "@/lib/language/languages";
import type { PortalContext } from "./portal-context";

/**
 * The organisation's name in `language`: as an admin gave it for that
 * language on /staff/settings, else ORG_NAME (the name in the default
 * language). Emails fix it when they are written; pages read it each time.
 */
export function orgNameFor(tx: Executor, language: Language, ctx: Pick<PortalContext, "orgName" | "defaultLanguage">): string {
  if (language === (ctx.defaultLanguage ?? BASE_LANGUAGE)) return ctx.orgName;
  const row = tx.select({ orgName: orgTexts.orgName }).from(orgTexts).where(eq(orgTexts.language, language)).get();
  return row?.orgName ?? ctx.orgName;
}
