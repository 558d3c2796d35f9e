import { FORM_PROBLEM, savedSentence, UNKNOWN_LIST } from "@/lib/choices/preference-centre";

export type ChoicesQuery = { saved?: string; joined?: string; left?: string; ref?: string; problem?: string; sent?: string };

const REFERENCE = /^RD-[0-9A-Z]{4}-[0-9A-Z]{4}$/;
const count = (value: string | undefined) => (value && /^\d{1,4}$/.test(value) ? Number(value) : 0);

/** What the page says after a save, or why nothing was saved: sentences of our own, never the address's words. */
export function ChoicesNotice({ query }: { query: ChoicesQuery }) {
  if (query.problem === "unknown-list" || query.problem === "form") {
    return (
      <p className="notice error" role="alert">
        {query.problem === "form" ? FORM_PROBLEM : UNKNOWN_LIST}
      </p>
    );
  }
  if (query.saved !== "1") return null;
  const reference = query.ref && REFERENCE.test(query.ref) ? query.ref : null;
  return (
    <p className="notice success" role="status">
      {savedSentence({ joined: count(query.joined), left: count(query.left), reference })}
    </p>
  );
}
