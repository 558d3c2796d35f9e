import { staffExportView } from "@/server/export-route";

export const dynamic = "force-dynamic";

// Staff only, checked in the handler: the export as the supporter received it, the opening on the record.
export const POST = staffExportView("sent");
