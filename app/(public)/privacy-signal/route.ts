import type { NextRequest } from "next/server";
import { recordPrivacySignalRoute } from "@/server/preferences";

/** Records the signed-in person's browser privacy signal (Sec-GPC: 1), posted by a page that saw it. */
export async function POST(request: NextRequest) {
  return recordPrivacySignalRoute(request);
}
