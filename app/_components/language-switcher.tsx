"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { isStaffPath } from "@/lib/language/areas";

export type LanguageChoice = { code: string; name: string };

/**
 * One button per language, each named in its own language, posting to
 * /language (a form, so it works without JavaScript and no GET changes
 * anything); the choice is remembered and the same page comes back in it.
 * The staff pages, which stay in English, show none.
 */
export function LanguageSwitcher({ label, current, currentLabel, choices }: { label: string; current: string; currentLabel: string; choices: LanguageChoice[] }) {
  const pathname = usePathname();
  const query = useSearchParams().toString();
  if (choices.length < 2 || isStaffPath(pathname)) return null;
  return (
    <form method="post" action="/language" className="language-switcher" aria-label={label}>
      <input type="hidden" name="back" value={query ? `${pathname}?${query}` : pathname} />
      <ul>
        {choices.map((choice) =>
          choice.code === current ? (
            <li key={choice.code} lang={choice.code}>
              <span aria-current="true">
                <span aria-hidden="true">{choice.name}</span>
                <span className="visually-hidden">{currentLabel}</span>
              </span>
            </li>
          ) : (
            <li key={choice.code}>
              <button className="link-button" type="submit" name="language" value={choice.code} lang={choice.code}>
                {choice.name}
              </button>
            </li>
          ),
        )}
      </ul>
    </form>
  );
}
