/**
 * What a person is told when a limit stops them: what the limit is and when
 * they can try again, in one or two plain sentences, in their language.
 */
import { wordsFor } from "@/lib/language/catalogue";
import { BASE_LANGUAGE, type Language } from "@/lib/language/languages";
import type { LimitSettings } from "./policy";

/** "in 12 minutes", "in 3 hours": rounded up, so trying at that time works. */
export function whenToTryAgain(msBeforeNext: number, language: Language = BASE_LANGUAGE): string {
  const words = wordsFor(language);
  const minutes = Math.max(1, Math.ceil(msBeforeNext / 60_000));
  if (minutes < 60) return words("limits.when.minutes", { minutes });
  return words("limits.when.hours", { hours: Math.ceil(minutes / 60) });
}

/** The limits counted per address or per network, each with its sentence in the catalogue. */
export type CountedLimit = Exclude<keyof LimitSettings, "openRequestsPerType" | "accessRequestsPerYear" | "repeatAccessMonths">;

/** The sentence for a refusal by `limit`, which allows `allowed` in its window, with `msBeforeNext` until it ends. */
export function rateLimitSentence(limit: CountedLimit, allowed: number, msBeforeNext: number, language: Language = BASE_LANGUAGE): string {
  return wordsFor(language)(`limits.rate.${limit}`, { n: allowed, when: whenToTryAgain(msBeforeNext, language) });
}
