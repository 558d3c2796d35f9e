import "server-only";
import { wordsFor } from "@/lib/language/catalogue";
import type { Language } from "@/lib/language/languages";
import type { ChangeFailure } from "@/lib/requests/lifecycle/request-change";

const NOT_ALLOWED = {
  notWaiting: "requestPage.notWaiting",
  concernClosed: "requestPage.concernClosed",
  cannot: "requestPage.cannot",
} as const;

/**
 * What a supporter is told when a step on their own request is refused, in
 * their language, from the refusal's reason rather than its English
 * sentence (written for staff and the logs). `notAllowed` names the sentence
 * for a step the request's state does not allow.
 */
export function supporterRefusal(
  result: Pick<ChangeFailure, "reason">,
  language: Language,
  notAllowed: "notWaiting" | "concernClosed" | "cannot" = "cannot",
): string {
  const words = wordsFor(language);
  if (result.reason === "not_found") return words("requestPage.notFound");
  if (result.reason === "changed") return words("requestPage.cannot");
  return words(NOT_ALLOWED[notAllowed]);
}
