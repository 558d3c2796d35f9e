import type { Language } from "@/lib/language/languages";
import type en from "@/messages/en.json";

// next-intl checks every key and its values against the English catalogue.
declare module "next-intl" {
  interface AppConfig {
    Locale: Language;
    Messages: typeof en;
  }
}
