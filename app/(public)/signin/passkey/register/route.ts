import { registrationRoute } from "@/server/passkey-routes";

export const dynamic = "force-dynamic";

/** A staff member adds a passkey: the options, then the check of the browser's answer (server/passkey-routes.ts). */
export const POST = registrationRoute;
