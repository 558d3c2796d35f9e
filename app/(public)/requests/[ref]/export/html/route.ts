import { renderExportHtml } from "@/lib/export/render-export-html";
import { exportDownload } from "@/server/export-route";
import { getSettings } from "@/server/settings";

export const dynamic = "force-dynamic";

export const GET = exportDownload(
  "html",
  (doc) =>
    new Response(renderExportHtml(doc, getSettings().timeZone), {
      headers: {
        "Content-Type": "text/html; charset=utf-8",
        // The page is plain HTML with inline styles: nothing in it may run or load.
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
        "Content-Disposition": `inline; filename="${doc.reference}-data.html"`,
      },
    }),
);
