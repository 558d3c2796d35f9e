/**
 * Event subscriptions: an admin names an HTTPS address and the kinds of
 * event it wants; from then on each such event is delivered to it, signed,
 * through the delivery outbox (deliveries.ts).
 */
import { asc, desc, eq } from "drizzle-orm";
import type { Db } from "@/db/connection";
import { apiDeliveries, apiSubscriptions, type DeliveryStatus } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { fieldErrorsOf, oneLineText, type FieldErrors } from "@/lib/forms/fields";
import { checkWebhookTarget, normalizeHostEntry, WEBHOOK_SETTING, type OutboundPolicy, type TargetCheck } from "@/lib/http/outbound-address";
import { PUBLIC_EVENT_KINDS, type PublicEventKind } from "./event-kinds";
import { lastEventId } from "./events";
import { ensureFeed } from "./feed";
import { newSecretSalt, subscriptionSecret } from "./signing-key";

export type SubscriptionInput = { name: string; url: string; kinds: PublicEventKind[] };

const nameField = oneLineText("The subscription's name", 100);

/** The admin's form: a name, an address, and at least one kind (checkboxes named kind_<kind>). */
export function parseSubscriptionForm(input: Record<string, string>): { ok: true; value: SubscriptionInput } | { ok: false; fieldErrors: FieldErrors } {
  const errors: FieldErrors = {};
  const name = nameField.safeParse(input.name);
  if (!name.success) errors.name = fieldErrorsOf(name.error).form ?? "Check the name.";
  else if (!name.data) errors.name = "Give the subscription a name that says who receives it, such as “Staff chat”.";
  let url = "";
  const raw = (input.url ?? "").trim();
  try {
    const parsed = new URL(raw);
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new Error("scheme");
    if (parsed.username || parsed.password) throw new Error("credentials");
    url = parsed.toString();
  } catch {
    errors.url = "Enter the full address events are sent to, starting with https://, without a user name or password in it.";
  }
  const kinds = PUBLIC_EVENT_KINDS.filter((kind) => input[`kind_${kind}`] === "yes");
  if (kinds.length === 0) errors.kinds = "Choose at least one kind of event to send.";
  if (Object.keys(errors).length > 0 || !name.success || !name.data) return { ok: false, fieldErrors: errors };
  return { ok: true, value: { name: name.data, url, kinds } };
}

/**
 * Whether deliveries may go to `url`: HTTPS to a public address; plain HTTP
 * only to a host the administrator allowed in WEBHOOK_ALLOW_PRIVATE_HOSTS
 * (a receiver on their own network). Checked when saved and before each call.
 */
export async function checkDeliveryTarget(url: string, policy: OutboundPolicy): Promise<TargetCheck> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: "invalid", message: "The address is not a valid URL." };
  }
  const host = normalizeHostEntry(parsed.hostname);
  const allowed = host !== null && policy.allowPrivateHosts.includes(host);
  if (parsed.protocol !== "https:" && !(parsed.protocol === "http:" && allowed)) {
    return { ok: false, reason: "invalid", message: `The address must start with https://; plain http:// is used only for a host allowed by ${policy.allowSetting ?? WEBHOOK_SETTING}.` };
  }
  const target = await checkWebhookTarget(url, policy);
  return target.ok ? target : { ...target, message: target.message.replace("The webhook's address", "The address") };
}

/** The sentence saying why deliveries may not go to `url`, or null when they may. */
export async function deliveryAddressProblem(url: string, policy: OutboundPolicy): Promise<string | null> {
  const target = await checkDeliveryTarget(url, policy);
  return target.ok ? null : target.message;
}

/** Makes the subscription and returns its signing secret, which is never shown again. */
export function createSubscription(db: Db, input: SubscriptionInput & { createdBy: string; now: Date; signingKey: string }): { id: number; secret: string } {
  const salt = newSecretSalt();
  return inTransaction(db, (tx) => {
    // The feed must exist before the first subscription, or it would start after this one's first events.
    ensureFeed(tx);
    const { id } = tx
      .insert(apiSubscriptions)
      .values({
        name: input.name,
        url: input.url,
        kinds: input.kinds,
        secretSalt: salt,
        startsAfterEventId: lastEventId(tx),
        active: true,
        createdAt: input.now,
        createdBy: input.createdBy,
      })
      .returning({ id: apiSubscriptions.id })
      .get();
    return { id, secret: subscriptionSecret(input.signingKey, salt) };
  });
}

/** Switches a subscription off (no more events are queued for it, and what is queued waits) or on again. */
export function setSubscriptionActive(db: Db, input: { id: number; active: boolean }): boolean {
  return db.update(apiSubscriptions).set({ active: input.active }).where(eq(apiSubscriptions.id, input.id)).run().changes === 1;
}

export type DeliveryView = {
  id: number;
  deliveryId: string;
  eventId: number | null;
  kind: string;
  reference: string;
  status: DeliveryStatus;
  attempts: number;
  lastResponse: string | null;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
  createdAt: Date;
  replayedAt: Date | null;
  replayedBy: string | null;
};

export type SubscriptionView = {
  id: number;
  name: string;
  url: string;
  kinds: string[];
  active: boolean;
  createdAt: Date;
  createdBy: string;
  deliveries: DeliveryView[];
};

function deliveryView(row: typeof apiDeliveries.$inferSelect): DeliveryView {
  let kind = "";
  let reference = "";
  try {
    const body = JSON.parse(row.body) as { event?: { kind?: string; reference?: string } };
    kind = body.event?.kind ?? "";
    reference = body.event?.reference ?? "";
  } catch {
    // A body is always written as JSON here; an unreadable one just shows blank.
  }
  return {
    id: row.id,
    deliveryId: row.deliveryId,
    eventId: row.eventId,
    kind,
    reference,
    status: row.status,
    attempts: row.attempts,
    lastResponse: row.lastResponse,
    nextAttemptAt: row.nextAttemptAt,
    deliveredAt: row.deliveredAt,
    createdAt: row.createdAt,
    replayedAt: row.replayedAt,
    replayedBy: row.replayedBy,
  };
}

/** Every subscription with its latest deliveries, newest first. */
export function listSubscriptions(db: Db, deliveriesEach = 10): SubscriptionView[] {
  return db
    .select()
    .from(apiSubscriptions)
    .orderBy(asc(apiSubscriptions.name))
    .all()
    .map((s) => ({
      id: s.id,
      name: s.name,
      url: s.url,
      kinds: s.kinds,
      active: s.active,
      createdAt: s.createdAt,
      createdBy: s.createdBy,
      deliveries: db
        .select()
        .from(apiDeliveries)
        .where(eq(apiDeliveries.subscriptionId, s.id))
        .orderBy(desc(apiDeliveries.id))
        .limit(deliveriesEach)
        .all()
        .map(deliveryView),
    }));
}
