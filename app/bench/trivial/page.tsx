import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getSettings } from "@/server/settings";

export const metadata: Metadata = { title: "Benchmark" };

/**
 * The benchmark's floor for pages (npm run bench): rendered on the server for
 * each request inside the same layout as every page, with nothing of its own
 * to load. "Not found" unless the server was started with BENCH_ROUTES=1.
 */
export default function TrivialPage() {
  if (!getSettings().benchRoutes) notFound();
  return (
    <>
      <h1>Benchmark</h1>
      <p>A page with nothing to load, to compare the others with.</p>
    </>
  );
}
