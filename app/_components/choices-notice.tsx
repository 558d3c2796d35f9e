import { getWords } from "@/server/words";
import { FORM_PROBLEM, UNKNOWN_LIST } from "@/lib/choices/preference-centre";

export type ChoicesQuery = { saved?: string; joined?: string; left?: string; ref?: string; problem?: string; sent?: string };

const REFERENCE = /^RD-[0-9A-Z]{4}-[0-9A-Z]{4}$/;
const count = (value: string | undefined) => (value && /^\d{1,4}$/.test(value) ? Number(value) : 0);

/** What the page says after a save, or why nothing was saved: sentences of our own, never the address's words. */
export async function ChoicesNotice({ query }: { query: ChoicesQuery }) {
  const t = await getWords("choices");
  if (query.problem === UNKNOWN_LIST || query.problem === FORM_PROBLEM) {
    return (
      <p className="notice error" role="alert">
        {query.problem === FORM_PROBLEM ? t("formProblem") : t("unknownList")}
      </p>
    );
  }
  if (query.saved !== "1") return null;
  const reference = query.ref && REFERENCE.test(query.ref) ? query.ref : null;
  const joined = count(query.joined);
  const left = count(query.left);
  const parts =
    joined === 0 && left === 0 && !reference
      ? [t("savedNothing")]
      : [t("saved"), ...(joined > 0 ? [t("savedJoined", { count: joined })] : []), ...(reference ? [t("savedLeft", { reference })] : [])];
  return (
    <p className="notice success" role="status">
      {parts.join(" ")}
    </p>
  );
}
