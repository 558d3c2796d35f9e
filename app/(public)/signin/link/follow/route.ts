import type { NextRequest } from "next/server";
import { followLink } from "@/server/follow-link";

/** The button on /signin/link: spends the link, signs in and, for a confirmation link, confirms the request. */
export async function POST(request: NextRequest) {
  return followLink(request);
}
