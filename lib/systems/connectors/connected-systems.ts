/**
 * Connected systems as an admin adds and edits them: a PostgreSQL or
 * MySQL/MariaDB database with its dataset map, or a Mailman 3 list server.
 * The password is write-only: sealed on saving (credentials.ts), never sent
 * back to a page, and kept as it is when an edit leaves the field empty. A
 * database's map is checked against the live database before it is saved.
 */
import { and, asc, eq, inArray, ne } from "drizzle-orm";
import type { Db, Executor } from "@/db/connection";
import { externalSystems } from "@/db/schema";
import { CONTROL_CHARACTERS, multiLineText, oneLineText, type FieldErrors } from "@/lib/forms/fields";
import type { OutboundPolicy } from "@/lib/http/outbound-address";
import { CIVICRM_MAP_YAML } from "./civicrm-map";
import {
  CONNECTOR_KINDS,
  databaseSettingsSchema,
  DEFAULT_PORTS,
  mailmanSettingsSchema,
  type ConnectorKind,
  type DatabaseSettings,
  type MailmanSettings,
} from "./connection-settings";
import { openSecret, sealSecret, type CredentialsKey } from "./credentials";
import { openDatabase, testDatabase } from "./database-connector";
import { MAP_MAX_CHARACTERS, parseDatasetMap, problemSentence } from "./dataset-map";
import { describeFailure } from "./failures";
import { openMailman } from "./mailman";
import { forgetDriver } from "./pools";

export type ConnectedSystem =
  | { id: number; name: string; kind: "postgres" | "mysql"; active: boolean; settings: DatabaseSettings; password: string; mapText: string; updatedAt: number }
  | { id: number; name: string; kind: "mailman"; active: boolean; settings: MailmanSettings; password: string; mapText: null; updatedAt: number };

export type ConnectedSystemInput = {
  /** Null when adding. */
  id: number | null;
  name: string;
  kind: ConnectorKind;
  settings: DatabaseSettings | MailmanSettings;
  /** Null: keep the stored password (editing) */
  password: string | null;
  /** The dataset map as written (databases only). */
  mapText: string | null;
};

export function isConnectorKind(kind: string): kind is ConnectorKind {
  return (CONNECTOR_KINDS as readonly string[]).includes(kind);
}

const NAME = /^[^\u0000-\u001f\u007f]{1,100}$/;

/** The form's fields, checked; sentences under each field. The password is never among the values sent back. */
/** The same sentences as every form for text that is too long or holds control characters, before anything else is read. */
const TEXT_FIELDS = {
  name: oneLineText("The name", 100),
  host: oneLineText("The host", 253),
  port: oneLineText("The port", 5),
  database: oneLineText("The database", 63),
  schema: oneLineText("The schema", 63),
  user: oneLineText("The user", 100),
  url: oneLineText("The REST address", 500),
  map: multiLineText("The dataset map", MAP_MAX_CHARACTERS),
} as const;

function textProblems(input: Record<string, string>): FieldErrors {
  const errors: FieldErrors = {};
  for (const [field, schema] of Object.entries(TEXT_FIELDS)) {
    const checked = schema.safeParse(input[field]);
    if (!checked.success) errors[field] = checked.error.issues[0]?.message ?? "Check this field.";
  }
  const password = input.password ?? "";
  if (password.length > 500) errors.password = "The password must be 500 characters or fewer.";
  else if (CONTROL_CHARACTERS.test(password)) errors.password = "The password contains hidden control characters; remove them and try again.";
  return errors;
}

export function parseConnectedSystemForm(input: Record<string, string>): { ok: true; value: ConnectedSystemInput } | { ok: false; fieldErrors: FieldErrors } {
  const early = textProblems(input);
  if (Object.keys(early).length > 0) return { ok: false, fieldErrors: early };
  const errors: FieldErrors = {};
  const id = input.id && /^\d{1,9}$/.test(input.id) ? Number(input.id) : null;
  const name = (input.name ?? "").trim();
  if (!name) errors.name = "Give the system a name, such as “CRM”.";
  else if (!NAME.test(name)) errors.name = "The name must be 100 characters or fewer.";
  const kind = input.kind ?? "";
  if (!isConnectorKind(kind)) {
    errors.kind = "Choose PostgreSQL, MySQL or MariaDB, or Mailman 3.";
    return { ok: false, fieldErrors: errors };
  }
  let settings: DatabaseSettings | MailmanSettings | null = null;
  if (kind === "mailman") {
    const parsed = mailmanSettingsSchema.safeParse({ url: input.url ?? "", user: input.user ?? "" });
    if (parsed.success) settings = parsed.data;
    else for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
  } else {
    const parsed = databaseSettingsSchema.safeParse({
      host: input.host ?? "",
      port: (input.port ?? "").trim() === "" ? DEFAULT_PORTS[kind] : input.port,
      database: input.database ?? "",
      user: input.user ?? "",
      schema: (input.schema ?? "").trim() === "" ? undefined : input.schema,
      tls: (input.tls ?? "").trim() === "" ? undefined : input.tls,
    });
    if (parsed.success) settings = parsed.data;
    else for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
  }
  const password = input.password ?? "";
  if (id === null && password === "") errors.password = "Enter the password of the user Rightsdesk connects as.";
  let mapText: string | null = null;
  if (kind !== "mailman") {
    mapText = (input.map ?? "").trim() === "" && input.ready === "civicrm" ? CIVICRM_MAP_YAML : (input.map ?? "");
    if (mapText.trim() === "") errors.map = "Give the dataset map (JSON or YAML), or start from the ready map for CiviCRM.";
    else if (mapText.length > MAP_MAX_CHARACTERS) errors.map = `The map is too long: at most ${MAP_MAX_CHARACTERS.toLocaleString("en-GB")} characters.`;
  }
  if (Object.keys(errors).length > 0 || !settings) return { ok: false, fieldErrors: errors };
  return { ok: true, value: { id, name, kind, settings, password: password === "" ? null : password, mapText } };
}

/** What the form shows again after a refusal: what was typed, never the password. */
export function valuesToShowAgain(input: Record<string, string>): Record<string, string> {
  const { password: _password, ...rest } = input;
  return Object.fromEntries(Object.entries(rest).filter(([k]) => !k.startsWith("$")));
}

/**
 * Tries the system as it would be saved: connects, names the server, and
 * for a database checks the map against its live catalogue. Null when it
 * may be saved; otherwise sentences under the fields they concern.
 */
export async function connectedSystemProblems(input: ConnectedSystemInput & { password: string }, policy: OutboundPolicy): Promise<FieldErrors | null> {
  try {
    if (input.kind === "mailman") {
      const client = await openMailman({ settings: input.settings as MailmanSettings, password: input.password }, policy);
      await client.version();
      return null;
    }
    const driver = await openDatabase({ kind: input.kind, settings: input.settings as DatabaseSettings, password: input.password }, policy, {
      connectMs: 5_000,
      statementMs: 10_000,
      idleMs: 1_000,
      poolSize: 1,
    });
    try {
      const test = await testDatabase(driver, input.mapText ?? "");
      if (test.map && !test.map.ok) return { map: test.map.problems.slice(0, 8).map(problemSentence).join("\n") };
      return null;
    } finally {
      await driver.close().catch(() => {});
    }
  } catch (error) {
    const failure = describeFailure(error);
    const sentence = failure.sentence.charAt(0).toUpperCase() + failure.sentence.slice(1);
    // Under the setting it points at (the password refused, a database that does not exist), else under the address.
    const field = failure.field === "password" || (failure.field && input.kind !== "mailman") ? failure.field : input.kind === "mailman" ? "url" : "host";
    return { [field]: `Rightsdesk could not check the system: ${sentence.replace(/\.$/, "")}.` };
  }
}

/** Adds or changes a connected system (the caller checked it first). */
export function saveConnectedSystem(
  db: Db,
  input: ConnectedSystemInput,
  options: { key: CredentialsKey; now: Date },
): { ok: true; id: number } | { ok: false; message: string; fieldErrors?: FieldErrors } {
  const taken = db
    .select({ id: externalSystems.id })
    .from(externalSystems)
    .where(input.id === null ? eq(externalSystems.name, input.name) : and(eq(externalSystems.name, input.name), ne(externalSystems.id, input.id)))
    .get();
  if (taken) return { ok: false, message: "Please correct the errors below.", fieldErrors: { name: `There is already a system called “${input.name}”.` } };
  const common = {
    name: input.name,
    kind: input.kind,
    connection: input.settings,
    datasetMap: input.mapText,
    mapCheckedAt: input.mapText === null ? null : options.now,
    updatedAt: options.now,
  };
  if (input.id === null) {
    if (input.password === null) return { ok: false, message: "Please correct the errors below.", fieldErrors: { password: "Enter the password." } };
    const row = db.insert(externalSystems).values({ ...common, active: true, createdAt: options.now }).returning({ id: externalSystems.id }).get();
    // Sealed with the row's own id bound in, so it cannot be moved onto another system.
    db.update(externalSystems).set({ sealedPassword: sealSecret(options.key, { purpose: "password", systemId: row.id }, input.password) }).where(eq(externalSystems.id, row.id)).run();
    return { ok: true, id: row.id };
  }
  const existing = db.select({ kind: externalSystems.kind }).from(externalSystems).where(eq(externalSystems.id, input.id)).get();
  if (!existing || !isConnectorKind(existing.kind)) return { ok: false, message: "We could not find that system; reload the page." };
  db.update(externalSystems)
    .set({ ...common, ...(input.password !== null ? { sealedPassword: sealSecret(options.key, { purpose: "password", systemId: input.id }, input.password) } : {}) })
    .where(eq(externalSystems.id, input.id))
    .run();
  forgetDriver(input.id);
  return { ok: true, id: input.id };
}

/** The stored password, to test an edited system whose password field was left empty. Null when there is none. */
export function storedPassword(db: Executor, id: number, key: CredentialsKey): string | null {
  const row = db.select({ sealed: externalSystems.sealedPassword }).from(externalSystems).where(eq(externalSystems.id, id)).get();
  return row?.sealed ? openSecret(key, { purpose: "password", systemId: id }, row.sealed) : null;
}

type Row = typeof externalSystems.$inferSelect;

function connectedOf(row: Row, key: CredentialsKey): ConnectedSystem {
  if (!row.sealedPassword) throw new Error(`System ${row.id} has no stored password.`);
  const password = openSecret(key, { purpose: "password", systemId: row.id }, row.sealedPassword);
  const base = { id: row.id, name: row.name, active: row.active, password, updatedAt: row.updatedAt?.getTime() ?? row.createdAt.getTime() };
  if (row.kind === "mailman") return { ...base, kind: "mailman", settings: mailmanSettingsSchema.parse(row.connection), mapText: null };
  if (row.kind === "postgres" || row.kind === "mysql") return { ...base, kind: row.kind, settings: databaseSettingsSchema.parse(row.connection), mapText: row.datasetMap ?? "" };
  throw new Error(`System ${row.id} is not a connected system.`);
}

/** One connected system with its password opened (throws a CredentialsError when it cannot be). */
export function loadConnectedSystem(db: Executor, id: number, key: CredentialsKey): ConnectedSystem | null {
  const row = db.select().from(externalSystems).where(eq(externalSystems.id, id)).get();
  return row && isConnectorKind(row.kind) ? connectedOf(row, key) : null;
}

export type ConnectedSystemView = {
  id: number;
  name: string;
  kind: ConnectorKind;
  active: boolean;
  /** Where it is, without the password: host:port/database as user, or the REST address as user. */
  where: string;
  settings: DatabaseSettings | MailmanSettings;
  mapText: string | null;
  mapCheckedAt: Date | null;
  hasPassword: boolean;
};

/** The connected systems for the admin page: everything but the password, of which only whether one is stored. */
export function listConnectedSystems(db: Executor): ConnectedSystemView[] {
  return db
    .select()
    .from(externalSystems)
    .where(inArray(externalSystems.kind, [...CONNECTOR_KINDS]))
    .orderBy(asc(externalSystems.name))
    .all()
    .map((row) => {
      const kind = row.kind as ConnectorKind;
      const settings = kind === "mailman" ? mailmanSettingsSchema.parse(row.connection) : databaseSettingsSchema.parse(row.connection);
      const where =
        kind === "mailman"
          ? `${(settings as MailmanSettings).url} as ${settings.user}`
          : `${(settings as DatabaseSettings).host}:${(settings as DatabaseSettings).port}/${(settings as DatabaseSettings).database} as ${settings.user}`;
      return {
        id: row.id,
        name: row.name,
        kind,
        active: row.active,
        where,
        settings,
        mapText: row.datasetMap,
        mapCheckedAt: row.mapCheckedAt,
        hasPassword: row.sealedPassword !== null,
      };
    });
}

/** Whether the map's own shape is right, without a database: for a quick answer while editing. */
export function mapShapeProblems(mapText: string): string[] {
  const parsed = parseDatasetMap(mapText);
  return parsed.ok ? [] : parsed.problems.map(problemSentence);
}
