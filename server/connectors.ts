import "server-only";
import { loadOrCreateCredentialsKey, type CredentialsKey } from "@/lib/systems/connectors/credentials";
import { outboundPolicyOf, type OutboundPolicy } from "@/lib/http/outbound-address";
import { getSettings } from "./settings";

let key: CredentialsKey | undefined;

/** Where connected systems may be reached, and the key their passwords are sealed with (created on first use). */
export function connectorOptions(): { outbound: OutboundPolicy; credentials: CredentialsKey } {
  const settings = getSettings();
  key ??= loadOrCreateCredentialsKey(settings.dataDir);
  return { outbound: outboundPolicyOf(settings), credentials: key };
}
