"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { replayDelivery, replayFailedDeliveries } from "@/lib/api/deliveries";
import { isDirectoryId, parseAgentForm, parseAgentSite, parseBusinessForm, registerAgent, saveBusiness, setAgentEnabled, setAgentSite, type AgentInput, type BusinessInput } from "@/lib/api/drp/agents";
import { createApiKey, parseKeyForm, revokeApiKey, type KeyInput } from "@/lib/api/keys";
import { loadOrCreateSigningKey } from "@/lib/api/signing-key";
import { createSubscription, deliveryAddressProblem, parseSubscriptionForm, setSubscriptionActive, type SubscriptionInput } from "@/lib/api/subscriptions";
import { outboundPolicyOf } from "@/lib/http/outbound-address";
import { formAction, type ActionState } from "@/server/action";
import { getSettings } from "@/server/settings";
import { kickWorker } from "@/server/worker";

// Admins only, checked by formAction on every call, whatever the page showed.

type Parsed<T> = { ok: true; value: T } | { ok: false; fieldErrors: Record<string, string> };

const RELOAD = { id: "Reload the page and try again." };

function rowId(input: Record<string, string>): Parsed<{ id: number }> {
  return /^\d{1,9}$/.test(input.id ?? "") ? { ok: true, value: { id: Number(input.id) } } : { ok: false, fieldErrors: RELOAD };
}

function rowToggle(input: Record<string, string>, field: string): Parsed<{ id: number; on: boolean }> {
  const id = rowId(input);
  if (!id.ok || (input[field] !== "yes" && input[field] !== "no")) return { ok: false, fieldErrors: RELOAD };
  return { ok: true, value: { id: id.value.id, on: input[field] === "yes" } };
}

export const createKeyAction = formAction({ access: "admin", parse: parseKeyForm }, (input, viewer): ActionState => {
  const { key } = createApiKey(getDb(), { ...input, createdBy: viewer.email, now: new Date() });
  revalidatePath("/staff/api");
  // Shown once, in this answer only: only a hash of it is kept.
  return { ok: true, message: `The key “${input.name}” is made. Copy it now: it is shown only this once.`, values: { key } };
});

export const revokeKeyAction = formAction({ access: "admin", parse: rowId }, (input, viewer): ActionState => {
  const revoked = revokeApiKey(getDb(), { id: input.id, revokedBy: viewer.email, now: new Date() });
  revalidatePath("/staff/api");
  return revoked ? { ok: true, message: "Revoked. Calls with this key are refused from now on." } : { ok: false, message: "This key was already revoked." };
});

export const createSubscriptionAction = formAction({ access: "admin", parse: parseSubscriptionForm }, async (input, viewer): Promise<ActionState> => {
  const settings = getSettings();
  const values = { name: input.name, url: input.url, ...Object.fromEntries(input.kinds.map((k) => [`kind_${k}`, "yes"])) };
  const problem = await deliveryAddressProblem(input.url, outboundPolicyOf(settings));
  if (problem) return { ok: false, message: "Please correct the errors below.", fieldErrors: { url: problem }, values };
  const { secret } = createSubscription(getDb(), { ...input, createdBy: viewer.email, now: new Date(), signingKey: loadOrCreateSigningKey(settings.dataDir) });
  revalidatePath("/staff/api/subscriptions");
  return { ok: true, message: `Subscribed. Events from now on go to ${input.url}.`, values: { secret } };
});

export const toggleSubscriptionAction = formAction({ access: "admin", parse: (input) => rowToggle(input, "active") }, (input): ActionState => {
  setSubscriptionActive(getDb(), { id: input.id, active: input.on });
  revalidatePath("/staff/api/subscriptions");
  if (input.on) kickWorker();
  return { ok: true, message: input.on ? "Switched on: deliveries waiting for it go out now." : "Switched off: no new events are queued for it, and those queued wait." };
});

export const replayDeliveryAction = formAction({ access: "admin", parse: rowId }, (input, viewer): ActionState => {
  const replayed = replayDelivery(getDb(), { id: input.id, replayedBy: viewer.email, now: new Date() });
  revalidatePath("/staff/api/subscriptions");
  kickWorker();
  return replayed ? { ok: true, message: "Sent again, with the same delivery id." } : { ok: false, message: "There is no such delivery." };
});

export const replayFailedAction = formAction({ access: "admin", parse: rowId }, (input, viewer): ActionState => {
  const count = replayFailedDeliveries(getDb(), { subscriptionId: input.id, replayedBy: viewer.email, now: new Date() });
  revalidatePath("/staff/api/subscriptions");
  kickWorker();
  return { ok: true, message: count === 0 ? "No delivery had failed." : `${count} ${count === 1 ? "delivery" : "deliveries"} sent again.` };
});

export const saveBusinessAction = formAction({ access: "admin", parse: parseBusinessForm }, (input, viewer): ActionState => {
  saveBusiness(getDb(), { ...input, updatedBy: viewer.email, now: new Date() });
  revalidatePath("/staff/api/agents");
  return { ok: true, message: "Saved. The discovery document below is up to date." };
});

export const registerAgentAction = formAction({ access: "admin", parse: parseAgentForm }, (input, viewer): ActionState => {
  const result = registerAgent(getDb(), { ...input, createdBy: viewer.email, now: new Date() });
  revalidatePath("/staff/api/agents");
  return result.ok ? { ok: true, message: `${input.name} is registered. It can now set up its key and send requests.` } : { ok: false, message: result.message };
});

export const setAgentSiteAction = formAction(
  {
    access: "admin",
    parse: (input): Parsed<{ id: string; webUrl: string | null }> => {
      if (!isDirectoryId(input.id ?? "")) return { ok: false, fieldErrors: RELOAD };
      const site = parseAgentSite(input.webUrl);
      return site.ok ? { ok: true, value: { id: input.id!, webUrl: site.value } } : { ok: false, fieldErrors: { webUrl: site.message } };
    },
  },
  (input): ActionState => {
    if (!setAgentSite(getDb(), input)) return { ok: false, message: "There is no such agent: reload the page." };
    revalidatePath("/staff/api/agents");
    return {
      ok: true,
      message: input.webUrl
        ? `Saved. People who confirm its requests are offered the way back to addresses on ${input.webUrl} only.`
        : "Saved. People who confirm its requests are not offered a way back to it.",
    };
  },
);

export const toggleAgentAction = formAction(
  {
    access: "admin",
    parse: (input) =>
      /^[A-Za-z0-9_.-]{1,100}$/.test(input.id ?? "") && (input.enabled === "yes" || input.enabled === "no")
        ? { ok: true, value: { id: input.id!, on: input.enabled === "yes" } }
        : { ok: false, fieldErrors: RELOAD },
  },
  (input): ActionState => {
    setAgentEnabled(getDb(), { id: input.id, enabled: input.on, now: new Date() });
    revalidatePath("/staff/api/agents");
    return { ok: true, message: input.on ? "Switched on: it must set up its key again." : "Switched off: its token and signatures stop working now." };
  },
);
