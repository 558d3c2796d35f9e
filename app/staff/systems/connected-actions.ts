"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import {
  connectedSystemProblems,
  loadConnectedSystem,
  parseConnectedSystemForm,
  saveConnectedSystem,
  storedPassword,
  valuesToShowAgain,
  type ConnectedSystemInput,
} from "@/lib/systems/connectors/connected-systems";
import { CredentialsError } from "@/lib/systems/connectors/credentials";
import { testDatabase } from "@/lib/systems/connectors/database-connector";
import { problemSentence } from "@/lib/systems/connectors/dataset-map";
import { describeFailure } from "@/lib/systems/connectors/failures";
import { openMailman } from "@/lib/systems/connectors/mailman";
import { driverFor } from "@/lib/systems/connectors/pools";
import { previewAddress } from "@/lib/systems/connectors/preview";
import { emailAddress } from "@/lib/forms/fields";
import { formAction, type ActionState } from "@/server/action";
import { connectorOptions } from "@/server/connectors";
import { getSettings } from "@/server/settings";

// Admins only, checked by formAction on every call, whatever the page showed. The password is never sent back:
// keepsTyped is off, and every refusal returns what was typed without it.

const MAP_UPLOAD_BYTES = 256_000;
const ADDRESS = emailAddress("The email address", { required: "Enter the email address to look for, such as ada@example.org." });

type SaveInput = { raw: Record<string, string>; mapFile: File | null };

export const saveConnectedSystemAction = formAction(
  { access: "admin", keepsTyped: false, parse: (input, _viewer, files) => ({ ok: true, value: { raw: input, mapFile: files.mapFile && files.mapFile.size > 0 ? files.mapFile : null } }) },
  async ({ raw, mapFile }): Promise<ActionState> => {
    const values = valuesToShowAgain(raw);
    if (mapFile) {
      if (mapFile.size > MAP_UPLOAD_BYTES) return { ok: false, message: "Please correct the errors below.", fieldErrors: { map: "The map file is too large: at most 256 KB." }, values };
      // An uploaded file takes the place of the text box.
      raw = { ...raw, map: await mapFile.text() };
      values.map = raw.map ?? "";
    }
    const parsed = parseConnectedSystemForm(raw);
    if (!parsed.ok) return { ok: false, message: "Please correct the errors below.", fieldErrors: parsed.fieldErrors, values };
    const input: ConnectedSystemInput = parsed.value;
    const { outbound, credentials } = connectorOptions();
    let password = input.password;
    if (password === null && input.id !== null) {
      try {
        password = storedPassword(getDb(), input.id, credentials);
      } catch (error) {
        if (!(error instanceof CredentialsError)) throw error;
        return { ok: false, message: "Please correct the errors below.", fieldErrors: { password: error.message }, values };
      }
    }
    if (password === null) return { ok: false, message: "Please correct the errors below.", fieldErrors: { password: "Enter the password." }, values };
    // Tried before it is saved: the connection, and a database's map against its live catalogue.
    const problems = await connectedSystemProblems({ ...input, password }, outbound);
    if (problems) return { ok: false, message: "Please correct the errors below.", fieldErrors: problems, values };
    const saved = saveConnectedSystem(getDb(), input, { key: credentials, now: new Date() });
    if (!saved.ok) return { ok: false, message: saved.message, fieldErrors: saved.fieldErrors, values };
    revalidatePath("/staff/systems");
    revalidatePath(`/staff/systems/${saved.id}`);
    return {
      ok: true,
      message:
        input.id === null
          ? `${input.name} added and checked. From now on approved requests (and unsubscribes, where it keeps subscriptions) are carried out there too.`
          : `${input.name} saved and checked.`,
    };
  },
);

function idOnly(input: Record<string, string>): { ok: true; value: { id: number } } | { ok: false; fieldErrors: Record<string, string> } {
  return /^\d{1,9}$/.test(input.id ?? "") ? { ok: true, value: { id: Number(input.id) } } : { ok: false, fieldErrors: { id: "Reload the page and try again." } };
}

export const testConnectionAction = formAction({ access: "admin", parse: idOnly }, async ({ id }): Promise<ActionState> => {
  const { outbound, credentials } = connectorOptions();
  try {
    const system = loadConnectedSystem(getDb(), id, credentials);
    if (!system) return { ok: false, message: "We could not find that system; reload the page." };
    if (system.kind === "mailman") {
      const version = await (await openMailman({ settings: system.settings, password: system.password }, outbound)).version();
      return { ok: true, message: `Connected: ${version} answered.` };
    }
    const test = await testDatabase(await driverFor(system, outbound), system.mapText);
    if (test.map && !test.map.ok) {
      return { ok: false, message: `Connected to ${test.version}, but the map no longer fits the database: ${test.map.problems.slice(0, 5).map(problemSentence).join(" ")}` };
    }
    return { ok: true, message: `Connected to ${test.version}. The map fits the database as it is now (${test.tables} tables the user may read).` };
  } catch (error) {
    const sentence = describeFailure(error).sentence;
    return { ok: false, message: `Could not connect: ${sentence.replace(/\.$/, "")}.` };
  }
});

export const previewAddressAction = formAction(
  {
    access: "admin",
    parse: (input) => {
      const id = idOnly(input);
      if (!id.ok) return id;
      const email = ADDRESS.safeParse(input.email);
      if (!email.success) return { ok: false, fieldErrors: { email: email.error.issues[0]?.message ?? "Enter an email address." } };
      return { ok: true, value: { id: id.value.id, email: email.data! } };
    },
  },
  async ({ id, email }, viewer): Promise<ActionState> => {
    const preview = await previewAddress(
      getDb(),
      { systemId: id, email, staffEmail: viewer.email, now: new Date(), timeZone: getSettings().timeZone, secret: getSettings().authSecret },
      connectorOptions(),
    );
    revalidatePath(`/staff/systems/${id}`);
    if (!preview) return { ok: false, message: "We could not find that system; reload the page." };
    if (!preview.ok) return { ok: false, message: `Could not look: ${preview.reason}`, values: { email } };
    // The rows go back to this admin's page only, for this answer; the record keeps the counts.
    return { ok: true, message: `${preview.found} Erasure would do: ${preview.wouldErase}`, values: { email, preview: JSON.stringify(preview) } };
  },
);
