"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { addSystem, parseSystemForm, setSystemActive, webhookAddressProblem } from "@/lib/systems/external-systems";
import { outboundPolicyOf } from "@/lib/http/outbound-address";
import { renewWebhookSecret } from "@/lib/systems/webhook-secrets";
import { formAction, type ActionState } from "@/server/action";
import { connectorOptions } from "@/server/connectors";
import { getSettings } from "@/server/settings";

// Admins only, checked by formAction on every call, whatever the page showed.

export const addSystemAction = formAction({ access: "admin", parse: parseSystemForm }, async (input): Promise<ActionState> => {
  const values = { name: input.name, kind: input.kind, url: input.url ?? "" };
  const addressProblem = await webhookAddressProblem(input, outboundPolicyOf(getSettings()));
  if (addressProblem) return { ok: false, message: "Please correct the errors below.", fieldErrors: addressProblem, values };
  const result = addSystem(getDb(), input, { key: connectorOptions().credentials, now: new Date() });
  revalidatePath("/staff/systems");
  if (!result.ok) return { ok: false, message: result.message, values };
  return {
    ok: true,
    message: `${input.name} added. From now on every approved access, correction and erasure request gets a task for it.`,
    // Shown once, in this answer only: the page never displays a stored secret.
    values: result.secret ? { secret: result.secret } : undefined,
  };
});

export const toggleSystemAction = formAction(
  {
    access: "admin",
    parse: (input) =>
      /^\d{1,9}$/.test(input.id ?? "") && (input.active === "yes" || input.active === "no")
        ? { ok: true, value: { id: Number(input.id), active: input.active === "yes" } }
        : { ok: false, fieldErrors: { id: "Reload the page and try again." } },
  },
  (input) => {
    setSystemActive(getDb(), input);
    revalidatePath("/staff/systems");
    return { ok: true, message: input.active ? "Switched on." : "Switched off." };
  },
);

export const newSecretAction = formAction(
  {
    access: "admin",
    parse: (input) => (/^\d{1,9}$/.test(input.id ?? "") ? { ok: true, value: { id: Number(input.id) } } : { ok: false, fieldErrors: { id: "Reload the page and try again." } }),
  },
  (input) => {
    const secret = renewWebhookSecret(getDb(), connectorOptions().credentials, input.id);
    if (secret === null) return { ok: false, message: "We could not find that webhook system; reload the page." };
    return {
      ok: true,
      message: "New secret made: the old one signs nothing from now on. Give this one to whoever runs the system.",
      // Shown once, in this answer only.
      values: { secret },
    };
  },
);
