import "server-only";
import { headers } from "next/headers";
import { clientAddress } from "@/lib/limits/client-ip";
import { getSettings } from "./settings";

/** The network the current request came from, as the per-IP limits count it. */
export async function requestClientAddress(): Promise<string> {
  const incoming = await headers();
  return clientAddress((name) => incoming.get(name), getSettings().trustProxy);
}
