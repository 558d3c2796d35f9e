/**
 * Authorised agents an admin registers (their `agent-id` and Ed25519 verify
 * key from the network's directory), the bearer tokens they get from the
 * pair-wise key setup, and how this organisation appears to them.
 */
import { createHash, randomBytes } from "node:crypto";
import { asc, eq, sql } from "drizzle-orm";
import type { Db, Executor } from "@/db/connection";
import { preparedOnce } from "@/db/prepared";
import { drpAgents, drpBusiness, type DrpAgent } from "@/db/schema";
import { emailAddress, fieldErrorsOf, oneLineText, type FieldErrors } from "@/lib/forms/fields";
import { verifyKeyOf } from "./signed-message";

/** Agent and business ids in the directory match [A-Z_]+ (section 3.05); digits and dots are allowed too, as ids in use carry them. */
const DIRECTORY_ID = /^[A-Za-z0-9_.-]{1,100}$/;

export function isDirectoryId(value: string): boolean {
  return DIRECTORY_ID.test(value);
}

export type AgentInput = { id: string; name: string; verifyKey: string; technicalContact: string | null; webUrl: string | null; trustsVerifiedEmail: boolean };

const nameField = oneLineText("The agent's name", 100);
const contactField = emailAddress("The technical contact");

/** The registration form; its fields are `contact` and `website`, not the business form's names, as both forms are on one page and each field's id comes from its name. */
export function parseAgentForm(input: Record<string, string>): { ok: true; value: AgentInput } | { ok: false; fieldErrors: FieldErrors } {
  const errors: FieldErrors = {};
  const id = (input.id ?? "").trim();
  if (!isDirectoryId(id)) errors.id = "Enter the agent's id exactly as the network's directory lists it, such as CR_AA_DRP_ID_001: letters, digits, _ . and - only.";
  const name = nameField.safeParse(input.name);
  if (!name.success) errors.name = fieldErrorsOf(name.error).form ?? "Check the name.";
  else if (!name.data) errors.name = "Enter the agent's name as people know it, such as Permission Slip.";
  const verifyKey = (input.verifyKey ?? "").replace(/\s+/g, "");
  if (!verifyKeyOf(verifyKey)) errors.verifyKey = "Enter the agent's verify key as the directory lists it: base64 of a 32-byte Ed25519 public key (44 characters ending in =).";
  const contact = contactField.safeParse(input.contact);
  if (!contact.success) errors.contact = fieldErrorsOf(contact.error).form ?? "Check the address.";
  const site = parseAgentSite(input.website);
  if (!site.ok) errors.website = site.message;
  if (Object.keys(errors).length > 0 || !name.success || !name.data || !contact.success || !site.ok) return { ok: false, fieldErrors: errors };
  return {
    ok: true,
    value: { id, name: name.data, verifyKey, technicalContact: contact.data ?? null, webUrl: site.value, trustsVerifiedEmail: input.trustsVerifiedEmail === "yes" },
  };
}

const AGENT_SITE_MAX = 300;

/**
 * An agent's site as an admin typed it: empty for none, else a full https
 * address (its directory entry's `web_url`), kept as its origin, since it
 * says only which site the way back may lead to.
 */
export function parseAgentSite(raw: string | undefined): { ok: true; value: string | null } | { ok: false; message: string } {
  if ((raw ?? "").trim().length > AGENT_SITE_MAX) return { ok: false, message: `Enter the agent's website in ${AGENT_SITE_MAX} characters or fewer: its address, such as https://agent.example, is enough.` };
  const parsed = httpsUrl(raw);
  if (!parsed.ok) return { ok: false, message: "Enter the agent's website as a full address starting with https://, such as https://agent.example, or leave it empty." };
  if (parsed.value === null) return parsed;
  const url = new URL(parsed.value);
  if (url.username || url.password) return { ok: false, message: "Enter the agent's website without a user name or password in it." };
  return { ok: true, value: url.origin };
}

/** Sets or clears the site an agent's way back may lead to; false when no agent has the id. */
export function setAgentSite(db: Db, input: { id: string; webUrl: string | null }): boolean {
  return db.update(drpAgents).set({ webUrl: input.webUrl }).where(eq(drpAgents.id, input.id)).run().changes === 1;
}

export function registerAgent(db: Db, input: AgentInput & { createdBy: string; now: Date }): { ok: true } | { ok: false; message: string } {
  const taken = db.select({ id: drpAgents.id }).from(drpAgents).where(eq(drpAgents.id, input.id)).get();
  if (taken) return { ok: false, message: `An agent with the id ${input.id} is already registered.` };
  db.insert(drpAgents)
    .values({
      id: input.id,
      name: input.name,
      verifyKey: input.verifyKey,
      technicalContact: input.technicalContact,
      webUrl: input.webUrl,
      trustsVerifiedEmail: input.trustsVerifiedEmail,
      createdAt: input.now,
      createdBy: input.createdBy,
    })
    .run();
  return { ok: true };
}

/** Switches an agent off (its token and signatures stop working at once) or on again; off also forgets its token. */
export function setAgentEnabled(db: Db, input: { id: string; enabled: boolean; now: Date }): boolean {
  return (
    db
      .update(drpAgents)
      .set(input.enabled ? { disabledAt: null } : { disabledAt: input.now, tokenHash: null, tokenIssuedAt: null })
      .where(eq(drpAgents.id, input.id))
      .run().changes === 1
  );
}

export type AgentView = Pick<DrpAgent, "id" | "name" | "verifyKey" | "technicalContact" | "webUrl" | "trustsVerifiedEmail" | "tokenIssuedAt" | "createdAt" | "createdBy" | "disabledAt">;

export function listAgents(db: Db): AgentView[] {
  return db
    .select({
      id: drpAgents.id,
      name: drpAgents.name,
      verifyKey: drpAgents.verifyKey,
      technicalContact: drpAgents.technicalContact,
      webUrl: drpAgents.webUrl,
      trustsVerifiedEmail: drpAgents.trustsVerifiedEmail,
      tokenIssuedAt: drpAgents.tokenIssuedAt,
      createdAt: drpAgents.createdAt,
      createdBy: drpAgents.createdBy,
      disabledAt: drpAgents.disabledAt,
    })
    .from(drpAgents)
    .orderBy(asc(drpAgents.name))
    .all();
}

export function agentById(db: Executor, id: string): DrpAgent | null {
  return db.select().from(drpAgents).where(eq(drpAgents.id, id)).get() ?? null;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * A new bearer token for the agent (section 2.05.1), from the system's
 * secure random source; only its hash is kept, and it replaces the one
 * issued before, which stops working.
 */
export function issueAgentToken(db: Executor, input: { agentId: string; now: Date }): string {
  const token = randomBytes(32).toString("base64url");
  db.update(drpAgents).set({ tokenHash: hashToken(token), tokenIssuedAt: input.now }).where(eq(drpAgents.id, input.agentId)).run();
  return token;
}

const agentByTokenHash = (db: Db) => db.select().from(drpAgents).where(eq(drpAgents.tokenHash, sql.placeholder("hash"))).prepare();

/** The agent an `Authorization: Bearer` header names, while it is enabled; null for no header, a token nobody holds, or a switched-off agent. */
export function agentByBearer(db: Db, authorization: string | null): DrpAgent | null {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match) return null;
  const agent = preparedOnce(db, "drpAgentByTokenHash", agentByTokenHash).get({ hash: hashToken(match[1]!) });
  return agent && agent.disabledAt === null ? agent : null;
}

// ---------------------------------------------------------------------------
// This organisation in the network
// ---------------------------------------------------------------------------

export type BusinessInput = { businessId: string; technicalContact: string; businessContact: string; logoUrl: string | null; privacyPolicyUrl: string | null; webUrl: string | null };

function httpsUrl(raw: string | undefined): { ok: true; value: string | null } | { ok: false } {
  const text = (raw ?? "").trim();
  if (text === "") return { ok: true, value: null };
  try {
    const url = new URL(text);
    return url.protocol === "https:" ? { ok: true, value: url.toString() } : { ok: false };
  } catch {
    return { ok: false };
  }
}

export function parseBusinessForm(input: Record<string, string>): { ok: true; value: BusinessInput } | { ok: false; fieldErrors: FieldErrors } {
  const errors: FieldErrors = {};
  const businessId = (input.businessId ?? "").trim();
  if (!isDirectoryId(businessId)) errors.businessId = "Enter the id the network's operators gave this organisation, such as NONPROFIT_EXAMPLE: letters, digits, _ . and - only.";
  const contacts: Record<"technicalContact" | "businessContact", string | undefined> = { technicalContact: undefined, businessContact: undefined };
  for (const [field, what] of [
    ["technicalContact", "The technical contact"],
    ["businessContact", "The privacy contact"],
  ] as const) {
    const parsed = emailAddress(what, { required: `${what} is needed: the network's operators and agents write to it.` }).safeParse(input[field]);
    if (!parsed.success) errors[field] = fieldErrorsOf(parsed.error).form ?? "Check the address.";
    else contacts[field] = parsed.data;
  }
  const urls: Record<string, string | null> = {};
  for (const field of ["logoUrl", "privacyPolicyUrl", "webUrl"] as const) {
    const parsed = httpsUrl(input[field]);
    if (!parsed.ok) errors[field] = "Enter a full address starting with https://, or leave it empty.";
    else urls[field] = parsed.value;
  }
  if (Object.keys(errors).length > 0 || !contacts.technicalContact || !contacts.businessContact) return { ok: false, fieldErrors: errors };
  return {
    ok: true,
    value: {
      businessId,
      technicalContact: contacts.technicalContact,
      businessContact: contacts.businessContact,
      logoUrl: urls.logoUrl ?? null,
      privacyPolicyUrl: urls.privacyPolicyUrl ?? null,
      webUrl: urls.webUrl ?? null,
    },
  };
}

export function saveBusiness(db: Db, input: BusinessInput & { updatedBy: string; now: Date }): void {
  const values = { ...input, updatedAt: input.now };
  const { now: _now, ...row } = values;
  db.insert(drpBusiness)
    .values({ id: 1, ...row })
    .onConflictDoUpdate({ target: drpBusiness.id, set: row })
    .run();
}

export type Business = typeof drpBusiness.$inferSelect;

export function loadBusiness(db: Executor): Business | null {
  return db.select().from(drpBusiness).where(eq(drpBusiness.id, 1)).get() ?? null;
}

/** DRP's rights this organisation takes: what Rightsdesk can carry out (section 3.01). */
export const SUPPORTED_ACTIONS = ["access", "deletion"] as const;
export type SupportedAction = (typeof SUPPORTED_ACTIONS)[number];

/**
 * The business discovery document (section 3.05.2) an admin gives the
 * network's operators. Identity is checked by email: the emailed link, or
 * an agent's verified claim where the admin trusts it.
 */
export function businessDiscoveryDocument(business: Business, input: { orgName: string; appUrl: string }) {
  return {
    id: business.businessId,
    name: input.orgName,
    logo: business.logoUrl,
    api_base: input.appUrl,
    supported_actions: [...SUPPORTED_ACTIONS],
    supported_verifications: ["email"],
    ...(business.privacyPolicyUrl ? { privacy_policy_url: business.privacyPolicyUrl } : {}),
    web_url: business.webUrl ?? input.appUrl,
    technical_contact: business.technicalContact,
    business_contact: business.businessContact,
  };
}
