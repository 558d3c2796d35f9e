import type { Metadata } from "next";
import { getWords } from "@/server/words";
import { REQUEST_TYPES } from "@/db/schema";
import { getViewer } from "@/server/viewer";
import { RequestForm } from "./request-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getWords("newRequest"))("title") };
}

export default async function NewRequestPage({ searchParams }: { searchParams: Promise<{ type?: string | string[] }> }) {
  const { type } = await searchParams;
  const viewer = await getViewer();
  const initialType = REQUEST_TYPES.find((t) => t === type) ?? null;
  const t = await getWords("newRequest");
  const types = await getWords("requestTypes");
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="lede">{t("lede")}</p>
      <RequestForm
        choices={REQUEST_TYPES.map((type) => ({ type, label: types(`${type}.label`), ask: types(`${type}.ask`) }))}
        initialType={initialType}
        signedInEmail={viewer?.email ?? null}
      />
    </>
  );
}
