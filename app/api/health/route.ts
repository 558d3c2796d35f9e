import { getDb } from "@/db/client";

export const dynamic = "force-dynamic";

/** 200 {"ok":true} when the database answers; 503 otherwise. Reveals nothing else. */
export function GET() {
  try {
    getDb().$client.prepare("select 1").get();
    return Response.json({ ok: true }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    console.error("[health] database did not answer", error);
    return Response.json({ ok: false }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
