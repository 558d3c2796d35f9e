import { getRequestConfig } from "next-intl/server";
import { messagesFor } from "@/lib/language/catalogue";
import { requestLanguage } from "./language";
import { getSettings } from "./settings";

/**
 * next-intl's configuration for each request, without language prefixes in
 * the address: the language proxy.ts chose, its catalogue, and the
 * organisation's time zone.
 */
export default getRequestConfig(async () => {
  const locale = await requestLanguage();
  return { locale, messages: messagesFor(locale), timeZone: getSettings().timeZone };
});
