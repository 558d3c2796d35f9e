import { staffExportView } from "@/server/export-route";

export const dynamic = "force-dynamic";

// Staff only, checked in the handler: the export built now, stored nowhere, the preview on the record.
export const POST = staffExportView("preview");
