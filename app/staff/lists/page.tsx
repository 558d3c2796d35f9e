import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { listFigures } from "@/lib/consent/lists";
import { requireStaff } from "@/server/viewer";
import { ListWordsForm } from "./list-words-form";

export const metadata: Metadata = { title: "Mailing lists" };

/** Admins: the words each list is offered with on the preference page, and how many are on it. */
export default async function ListsPage() {
  await requireStaff("/staff/lists", ["admin"]);
  const lists = listFigures(getDb());
  return (
    <>
      <h1>Mailing lists</h1>
      <p className="lede">
        Every list your imports name. Supporters see each list&apos;s title and description on their preference page, where they
        choose which emails they get; give each a sentence on what it sends and how often.
      </p>
      {lists.length === 0 ? <p>No list yet: lists appear here once an import names them.</p> : null}
      {lists.map((list) => (
        <section key={list.name} aria-labelledby={`list-${list.name}`}>
          <h2 id={`list-${list.name}`}>{list.title}</h2>
          <p className="muted">
            Imported as &quot;{list.name}&quot;. On it now: {list.on.toLocaleString("en-GB")} {list.on === 1 ? "address" : "addresses"}. Chose
            to leave it: {list.optedOut.toLocaleString("en-GB")}.
          </p>
          <ListWordsForm name={list.name} title={list.givenTitle} description={list.description} />
        </section>
      ))}
    </>
  );
}
