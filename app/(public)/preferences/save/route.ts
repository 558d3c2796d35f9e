import type { NextRequest } from "next/server";
import { saveChoicesRoute } from "@/server/preferences";

/** The preference page's button: saves the person's choices at once (for a signed link's address, or the person signed in). */
export async function POST(request: NextRequest) {
  return saveChoicesRoute(request);
}
