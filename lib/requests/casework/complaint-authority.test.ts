import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Regime } from "@/db/schema";
import type { Language } from "@/lib/language/languages";
import { portalContextOf, type PortalContext } from "@/lib/settings/portal-context";
import { parseSettings } from "@/lib/settings/settings";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { renderOutboxMail, TEST_BRAND } from "@/lib/testing/outbox";
import { filed } from "@/lib/testing/filed";
import { requestMailsOf } from "@/lib/testing/request-reads";
import { buildAccessExport } from "@/lib/requests/export/build-access-export";
import { saveStatement } from "@/lib/org/statement";
import type { RequestSubmission } from "@/lib/vocabulary/request-details";
import { fileVerifiedRequest } from "../intake/file-request";
import type { RequestActor } from "../lifecycle/request-change";
import { answerConcern, cancelRequestByStaff, denyRequest } from "./close-request";
import { extendDeadline } from "./extend-deadline";
import { approveRequest, startReview } from "./staff-step";

/**
 * Every email that tells the supporter where to complain names the authority of the request's regime: a data
 * protection authority under gdpr (the UK's ICO, the EU's), a state's privacy regulator under ccpa (California's
 * CPPA, else the state's Attorney General). A US supporter refused under ccpa was told to go to the UK's ICO.
 */
const REVIEWER: RequestActor = { type: "staff", email: "rita@example.org", role: "reviewer" };
const filedAt = new Date("2026-11-22T09:00:00Z");
const now = new Date("2026-11-24T10:00:00Z");

const AUTHORITY: Record<Regime, Record<Language, { says: string; never: RegExp }>> = {
  gdpr: {
    en: { says: "the Information Commissioner's Office, ico.org.uk", never: /cppa\.ca\.gov|Attorney General/ },
    fr: { says: "la CNIL, cnil.fr", never: /cppa\.ca\.gov|Attorney General/ },
    de: { says: "beim BfDI, bfdi.bund.de", never: /cppa\.ca\.gov|Attorney General/ },
    es: { says: "la Agencia Española de Protección de Datos, aepd.es", never: /cppa\.ca\.gov|Attorney General/ },
  },
  ccpa: {
    en: { says: "the California Privacy Protection Agency, cppa.ca.gov; in other states, your state’s Attorney General", never: /ico\.org\.uk|supervisory authority/ },
    fr: { says: "la California Privacy Protection Agency, cppa.ca.gov", never: /ico\.org\.uk|cnil\.fr/ },
    de: { says: "bei der California Privacy Protection Agency, cppa.ca.gov", never: /ico\.org\.uk|bfdi\.bund\.de/ },
    es: { says: "la California Privacy Protection Agency, cppa.ca.gov", never: /ico\.org\.uk|aepd\.es/ },
  },
};

/**
 * Each way a request's email comes to say where to complain, taken on `db`'s request by a reviewer: refused, cancelled,
 * extended, a concern answered, an access request carried out on approval (its export's email).
 */
function stepsOn(db: () => TempDatabase["db"]) {
  return {
    denial: (reference: string, ctx: PortalContext) => denyRequest(db(), { reference, actor: REVIEWER, expectedVersion: 1, note: "Manifestly excessive.", now, ctx }),
    cancellation: (reference: string, ctx: PortalContext) =>
      cancelRequestByStaff(db(), { reference, actor: REVIEWER, expectedVersion: 1, note: "A duplicate.", now, ctx }),
    extension: (reference: string, ctx: PortalContext) =>
      extendDeadline(db(), { reference, actor: REVIEWER, expectedVersion: 1, amount: ctx.regime === "ccpa" ? "45" : "1", reason: "Three systems.", now, ctx }),
    completed: (reference: string, ctx: PortalContext) => {
      expect(startReview(db(), { reference, actor: REVIEWER, expectedVersion: 1, now })).toMatchObject({ ok: true });
      return answerConcern(db(), { reference, actor: REVIEWER, expectedVersion: 2, note: "We checked.", now, ctx });
    },
    "access completed": (reference: string, ctx: PortalContext) => {
      expect(startReview(db(), { reference, actor: REVIEWER, expectedVersion: 1, now })).toMatchObject({ ok: true });
      return approveRequest(db(), { reference, actor: REVIEWER, expectedVersion: 2, now, ctx });
    },
  } as const;
}

type Step = keyof ReturnType<typeof stepsOn>;
const STEP_NAMES: Step[] = ["denial", "cancellation", "extension", "completed", "access completed"];

/** Every regime, language and step. */
const CASES = (["gdpr", "ccpa"] as const).flatMap((regime) =>
  (["en", "fr", "de", "es"] as const).flatMap((language) => STEP_NAMES.map((step) => [regime, language, step] as const)),
);

describe("where a supporter may complain", () => {
  let t: TempDatabase;
  let n = 0;
  beforeAll(() => {
    t = openTempDatabase();
  });
  afterAll(() => t.close());

  function fileUnder(regime: Regime, language: Language, type: "access" | "concern" = "access") {
    const ctx: PortalContext = { ...TEST_CONTEXT, regime };
    const email = `person-${++n}@example.org`;
    const submission: RequestSubmission =
      type === "concern" ? { type, email, details: { type, message: "Why the letters?" }, language } : { type, email, details: { type }, language };
    return { ctx, reference: filed(fileVerifiedRequest(t.db, { submission, now: filedAt, ctx })).reference };
  }

  const STEPS = stepsOn(() => t.db);

  it.each(CASES)("under %s, in %s, the %s email names the regime's authority", async (regime, language, step) => {
    const { ctx, reference } = fileUnder(regime, language, step === "completed" ? "concern" : "access");
    expect(STEPS[step](reference, ctx)).toMatchObject({ ok: true });
    const mail = requestMailsOf(t.db, reference).find((m) => m.kind !== "receipt");
    expect(mail).toBeDefined();
    const text = (await renderOutboxMail(mail!)).text.replace(/\s+/g, " ");
    expect(text).toContain(AUTHORITY[regime][language].says);
    expect(text).not.toMatch(AUTHORITY[regime][language].never);
  });

  it.each(CASES.filter(([, , step]) => step === "denial").map(([regime, language]) => [regime, language] as const))(
    "under %s, in %s, the access export adds the right to complain to the regime's authority",
    (regime, language) => {
      // A statement whose rights do not already say where to complain: the export adds the sentence.
      saveStatement(
        t.db,
        { purposes: "Fundraising.", recipients: "Nobody.", retention: "Six years.", sources: "You.", rights: "You can ask to see your data.", donationRetentionYears: 6 },
        { email: "lead@example.org", now: filedAt },
      );
      const { reference } = fileUnder(regime, language);
      const rights = buildAccessExport(t.db, { request: { reference, subjectEmail: "nobody@example.org", language, regime }, orgName: "Test Org", now }).rights;
      expect(rights).toHaveLength(2);
      expect(rights[1]).toContain(AUTHORITY[regime][language].says);
      expect(rights[1]).not.toMatch(AUTHORITY[regime][language].never);
    },
  );
});

/**
 * An organisation whose regulator is neither the UK's nor the EU's nor a US state's (CIVICUS, in Johannesburg,
 * answers to South Africa's Information Regulator) names it in COMPLAINT_AUTHORITY: every email that tells the
 * supporter where to complain, and the access export, name that authority and no other. Before, they always named
 * the ICO and the EU's authorities (or California's), whatever the organisation's policy said.
 */
describe("where a supporter may complain, when the organisation names its authority", () => {
  const NAMED = "the Information Regulator (South Africa), inforegulator.org.za";
  let t: TempDatabase;
  let n = 0;
  beforeAll(() => {
    t = openTempDatabase();
  });
  afterAll(() => t.close());

  function fileUnder(regime: Regime, language: Language, type: "access" | "concern" = "access") {
    // The context as the server and the worker build it from the settings.
    const parsed = parseSettings({ REGIME: regime, COMPLAINT_AUTHORITY: NAMED, ORG_NAME: "CIVICUS" }, "/srv");
    if (!parsed.ok) throw new Error(parsed.message);
    const ctx: PortalContext = portalContextOf({ ...parsed.settings, authSecret: TEST_CONTEXT.authSecret, signingKey: TEST_CONTEXT.signingKey });
    const email = `named-${++n}@example.org`;
    const submission: RequestSubmission =
      type === "concern" ? { type, email, details: { type, message: "Why the letters?" }, language } : { type, email, details: { type }, language };
    return { ctx, reference: filed(fileVerifiedRequest(t.db, { submission, now: filedAt, ctx })).reference };
  }

  const NEVER = /ico\.org\.uk|cppa\.ca\.gov|cnil\.fr|aepd\.es|bfdi\.bund\.de|Attorney General/;
  const STEPS = stepsOn(() => t.db);

  it.each(CASES)("under %s, in %s, the %s email names the organisation's authority and no other", async (regime, language, step) => {
    const { ctx, reference } = fileUnder(regime, language, step === "completed" ? "concern" : "access");
    expect(STEPS[step](reference, ctx)).toMatchObject({ ok: true });
    const mail = requestMailsOf(t.db, reference).find((m) => m.kind !== "receipt");
    expect(mail).toBeDefined();
    // The worker's brand carries the setting, as workerConfig builds it from the settings.
    const text = (await renderOutboxMail(mail!, { ...TEST_BRAND, complaintAuthority: NAMED })).text.replace(/\s+/g, " ");
    expect(text).toContain(`: ${NAMED}.`);
    expect(text).not.toMatch(NEVER);
  });

  it.each((["gdpr", "ccpa"] as const).flatMap((regime) => (["en", "fr", "de", "es"] as const).map((language) => [regime, language] as const)))(
    "under %s, in %s, the access export and the export sent on approval name the organisation's authority",
    async (regime, language) => {
      saveStatement(
        t.db,
        { purposes: "Campaigning.", recipients: "Our database administrators.", retention: "Six years.", sources: "You.", rights: "You can ask to see your data.", donationRetentionYears: 6 },
        { email: "lead@example.org", now: filedAt },
      );
      const { ctx, reference } = fileUnder(regime, language);
      const preview = buildAccessExport(t.db, {
        request: { reference, subjectEmail: "nobody@example.org", language, regime },
        orgName: "CIVICUS",
        now,
        complaintAuthority: ctx.complaintAuthority,
      }).rights;
      expect(preview).toHaveLength(2);
      expect(preview[1]).toContain(NAMED);
      expect(preview[1]).not.toMatch(NEVER);

      expect(startReview(t.db, { reference, actor: REVIEWER, expectedVersion: 1, now })).toMatchObject({ ok: true });
      expect(approveRequest(t.db, { reference, actor: REVIEWER, expectedVersion: 2, now, ctx })).toMatchObject({ ok: true });
      const stored = t.db.$client
        .prepare("select e.content from access_exports e join requests r on r.id = e.request_id where r.reference = ?")
        .get(reference) as { content: string };
      const sent = JSON.parse(stored.content) as { rights: string[] };
      expect(sent.rights.at(-1)).toContain(NAMED);
      expect(sent.rights.join("\n")).not.toMatch(NEVER);
    },
  );

  it.each([
    ["a trailing full stop", `${NAMED}.`],
    ["trailing spaces", `${NAMED}  `],
  ])("an authority written with %s still reads as one sentence", async (_what, written) => {
    const { ctx, reference } = fileUnder("gdpr", "en");
    expect(STEPS.denial(reference, ctx)).toMatchObject({ ok: true });
    const mail = requestMailsOf(t.db, reference).find((m) => m.kind !== "receipt")!;
    const text = (await renderOutboxMail(mail, { ...TEST_BRAND, complaintAuthority: written })).text.replace(/\s+/g, " ");
    expect(text).toContain(`personal data: ${NAMED}. `);
  });
});
