import type { NextRequest } from "next/server";
import { confirmSignedIn } from "@/server/follow-link";

/** The button on /requests/confirm: a signed-in person's draft becomes a request. */
export async function POST(request: NextRequest) {
  return confirmSignedIn(request);
}
