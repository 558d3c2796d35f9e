import type { NextRequest } from "next/server";
import { sendNewLinkRoute } from "@/server/preferences";

/** The button on an expired preference link's page: emails a fresh link to the address the old one names. */
export async function POST(request: NextRequest) {
  return sendNewLinkRoute(request);
}
