import { renderExportHtml } from "@/lib/requests/export/render-export-html";
import { exportDownload, exportHtmlResponse } from "@/server/export-route";
import { getSettings } from "@/server/settings";

export const dynamic = "force-dynamic";

export const GET = exportDownload("html", (doc, page) =>
  exportHtmlResponse(renderExportHtml(doc, getSettings().timeZone, { styleNonce: page.styleNonce }), `${doc.reference}-data.html`),
);
