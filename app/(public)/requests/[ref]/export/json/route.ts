import { exportDownload } from "@/server/export-route";

export const dynamic = "force-dynamic";

export const GET = exportDownload(
  "json",
  (doc) =>
    new Response(`${JSON.stringify(doc, null, 2)}\n`, {
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="${doc.reference}-data.json"`,
      },
    }),
);
