import type { Metadata } from "next";
import { REQUEST_TYPES } from "@/db/schema";
import { REQUEST_TYPE_INFO } from "@/lib/vocabulary/request-types";
import { getViewer } from "@/server/viewer";
import { RequestForm } from "./request-form";

export const metadata: Metadata = { title: "Make a request" };

export default async function NewRequestPage({ searchParams }: { searchParams: Promise<{ type?: string | string[] }> }) {
  const { type } = await searchParams;
  const viewer = await getViewer();
  const initialType = REQUEST_TYPES.find((t) => t === type) ?? null;
  return (
    <>
      <h1>Make a request</h1>
      <p className="lede">Choose what you would like, tell us the details, and we will take it from there.</p>
      <RequestForm
        choices={REQUEST_TYPES.map((t) => ({ type: t, label: REQUEST_TYPE_INFO[t].label, ask: REQUEST_TYPE_INFO[t].ask }))}
        initialType={initialType}
        signedInEmail={viewer?.email ?? null}
      />
    </>
  );
}
