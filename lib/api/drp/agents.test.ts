import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { agentByBearer, businessDiscoveryDocument, issueAgentToken, listAgents, loadBusiness, parseAgentForm, parseBusinessForm, registerAgent, saveBusiness, setAgentEnabled } from "./agents";
import { safeReturnAddress } from "./verification";

const KEY = Buffer.alloc(32, 7).toString("base64");
const now = new Date("2026-05-04T10:00:00Z");

describe("parseAgentForm", () => {
  it.each([
    [
      "an agent from the directory",
      { id: "CR_AA_DRP_ID_001", name: "Permission Slip", verifyKey: ` ${KEY} `, contact: "Tech@Example.org", website: " https://Permissionslip.example/app ", trustsVerifiedEmail: "yes" },
      {
        ok: true,
        value: { id: "CR_AA_DRP_ID_001", name: "Permission Slip", verifyKey: KEY, technicalContact: "tech@example.org", webUrl: "https://permissionslip.example", trustsVerifiedEmail: true },
      },
    ],
    ["no website", { id: "A", name: "A", verifyKey: KEY, website: "" }, { ok: true, value: { id: "A", name: "A", verifyKey: KEY, technicalContact: null, webUrl: null, trustsVerifiedEmail: false } }],
    [
      "a website over plain http",
      { id: "A", name: "A", verifyKey: KEY, website: "http://agent.example" },
      { ok: false, fieldErrors: { website: "Enter the agent's website as a full address starting with https://, such as https://agent.example, or leave it empty." } },
    ],
    [
      "a website that is not an address",
      { id: "A", name: "A", verifyKey: KEY, website: "agent.example" },
      { ok: false, fieldErrors: { website: "Enter the agent's website as a full address starting with https://, such as https://agent.example, or leave it empty." } },
    ],
    [
      "a website too long to be one",
      { id: "A", name: "A", verifyKey: KEY, website: `https://${"a".repeat(300)}.example` },
      { ok: false, fieldErrors: { website: "Enter the agent's website in 300 characters or fewer: its address, such as https://agent.example, is enough." } },
    ],
    [
      "a website with a password in it",
      { id: "A", name: "A", verifyKey: KEY, website: "https://me:secret@agent.example" },
      { ok: false, fieldErrors: { website: "Enter the agent's website without a user name or password in it." } },
    ],
    [
      "a key of the wrong length",
      { id: "A", name: "A", verifyKey: Buffer.alloc(16).toString("base64") },
      { ok: false, fieldErrors: { verifyKey: "Enter the agent's verify key as the directory lists it: base64 of a 32-byte Ed25519 public key (44 characters ending in =)." } },
    ],
    [
      "an id with spaces",
      { id: "CR AA", name: "A", verifyKey: KEY },
      { ok: false, fieldErrors: { id: "Enter the agent's id exactly as the network's directory lists it, such as CR_AA_DRP_ID_001: letters, digits, _ . and - only." } },
    ],
    ["no name", { id: "A", verifyKey: KEY }, { ok: false, fieldErrors: { name: "Enter the agent's name as people know it, such as Permission Slip." } }],
  ])("%s", (_what, input, expected) => {
    expect(parseAgentForm(input)).toEqual(expected);
  });
});

describe("the way back to an agent", () => {
  it.each([
    ["a page of the agent's site", "https://agent.example/done?x=1", "https://agent.example", "https://agent.example/done?x=1"],
    ["a part of the agent's site", "https://app.agent.example/back", "https://agent.example", "https://app.agent.example/back"],
    ["the default port written out", "https://agent.example:443/back", "https://agent.example", "https://agent.example/back"],
    ["another site", "https://phish.example/agent.example", "https://agent.example", null],
    ["a site whose name ends like the agent's", "https://evilagent.example/", "https://agent.example", null],
    ["the agent's name as a part of another site", "https://agent.example.phish.example/", "https://agent.example", null],
    ["another port", "https://agent.example:8443/", "https://agent.example", null],
    ["plain http", "http://agent.example/done", "https://agent.example", null],
    ["a script", "javascript:alert(1)", "https://agent.example", null],
    ["a user name in the address", "https://agent.example@phish.example/", "https://agent.example", null],
    ["credentials on the agent's own site", "https://me:pw@agent.example/", "https://agent.example", null],
    ["an agent with no site", "https://agent.example/done", null, null],
    ["no address asked for", undefined, "https://agent.example", null],
    ["not an address", "back", "https://agent.example", null],
  ])("%s", (_what, raw, site, expected) => {
    expect(safeReturnAddress(raw, site)).toBe(expected);
  });
});

describe("parseBusinessForm", () => {
  it.each([
    [
      "an id, contacts and addresses",
      { businessId: "NONPROFIT_EXAMPLE", technicalContact: "tech@example.org", businessContact: "privacy@example.org", logoUrl: "https://example.org/logo.png", privacyPolicyUrl: "", webUrl: "https://example.org" },
      { ok: true, value: { businessId: "NONPROFIT_EXAMPLE", technicalContact: "tech@example.org", businessContact: "privacy@example.org", logoUrl: "https://example.org/logo.png", privacyPolicyUrl: null, webUrl: "https://example.org/" } },
    ],
    [
      "plain http and no contacts",
      { businessId: "X", webUrl: "http://example.org" },
      {
        ok: false,
        fieldErrors: {
          technicalContact: "The technical contact is needed: the network's operators and agents write to it.",
          businessContact: "The privacy contact is needed: the network's operators and agents write to it.",
          webUrl: "Enter a full address starting with https://, or leave it empty.",
        },
      },
    ],
  ])("%s", (_what, input, expected) => {
    expect(parseBusinessForm(input)).toEqual(expected);
  });
});

describe("agents and the business", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());

  it("register once, hold one token at a time, and stop working at once when switched off", () => {
    const agent = { id: "A", name: "Agent", verifyKey: KEY, technicalContact: null, webUrl: null, trustsVerifiedEmail: false, createdBy: "lead@example.org", now };
    expect(registerAgent(t.db, agent)).toEqual({ ok: true });
    expect(registerAgent(t.db, agent)).toEqual({ ok: false, message: "An agent with the id A is already registered." });
    const token = issueAgentToken(t.db, { agentId: "A", now });
    expect(agentByBearer(t.db, `Bearer ${token}`)?.id).toBe("A");
    expect(setAgentEnabled(t.db, { id: "A", enabled: false, now })).toBe(true);
    expect(agentByBearer(t.db, `Bearer ${token}`)).toBeNull();
    expect(listAgents(t.db)[0]).toMatchObject({ id: "A", disabledAt: now, tokenIssuedAt: null });
  });

  it("make the discovery document of section 3.05.2", () => {
    saveBusiness(t.db, { businessId: "NONPROFIT_EXAMPLE", technicalContact: "tech@example.org", businessContact: "privacy@example.org", logoUrl: null, privacyPolicyUrl: "https://example.org/privacy", webUrl: null, updatedBy: "lead@example.org", now });
    expect(businessDiscoveryDocument(loadBusiness(t.db)!, { orgName: "Example Trust", appUrl: "https://rights.example.org" })).toEqual({
      id: "NONPROFIT_EXAMPLE",
      name: "Example Trust",
      logo: null,
      api_base: "https://rights.example.org",
      supported_actions: ["access", "deletion"],
      supported_verifications: ["email"],
      privacy_policy_url: "https://example.org/privacy",
      web_url: "https://rights.example.org",
      technical_contact: "tech@example.org",
      business_contact: "privacy@example.org",
    });
  });
});
