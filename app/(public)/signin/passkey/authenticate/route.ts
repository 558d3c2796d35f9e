import { authenticationRoute } from "@/server/passkey-routes";

export const dynamic = "force-dynamic";

/** The second factor after the emailed link: the options, then the check of the passkey's answer (server/passkey-routes.ts). */
export const POST = authenticationRoute;
