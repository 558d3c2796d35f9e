import "server-only";
import { headers } from "next/headers";
import { clientAddress, trustedPeerHeader } from "@/lib/limits/client-ip";
import { getSettings } from "./settings";

type HeaderReader = (name: string) => string | null;

/** The network a request with these headers came from, as the per-IP limits count it. */
export function networkOf(header: HeaderReader): string {
  return clientAddress(header, getSettings().trustProxy, trustedPeerHeader(process.env));
}

/** The network the current request came from (in a page or server action). */
export async function requestClientAddress(): Promise<string> {
  const incoming = await headers();
  return networkOf((name) => incoming.get(name));
}
