"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { isStaffPath } from "@/lib/language/areas";

/** A language offered: its code, its name in itself, and the word "Language" in it. */
export type LanguageChoice = { code: string; name: string; label: string };

/**
 * The language switcher: a disclosure whose summary says "Language" in
 * every language offered, so anyone finds it whatever the page is in, and
 * whose buttons (one per language, each named in itself) post to /language.
 * A form, so it works without JavaScript and no GET changes anything; the
 * choice is remembered and the same page comes back in it. The staff pages,
 * which stay in English, show none.
 */
export function LanguageSwitcher({ current, currentLabel, choices }: { current: string; currentLabel: string; choices: LanguageChoice[] }) {
  const pathname = usePathname();
  const query = useSearchParams().toString();
  if (choices.length < 2 || isStaffPath(pathname)) return null;
  return (
    <details className="language-switcher">
      <summary>
        <svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2">
          <circle cx="12" cy="12" r="10" />
          <path d="M2 12h20M12 2a15 15 0 0 1 0 20M12 2a15 15 0 0 0 0 20" />
        </svg>
        <span>
          {choices.map((choice, i) => (
            <span key={choice.code} lang={choice.code}>
              {i > 0 ? " · " : ""}
              {choice.label}
            </span>
          ))}
        </span>
      </summary>
      <form method="post" action="/language">
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
    </details>
  );
}
