/**
 * The answer to an access request: everything held about the requester in
 * every supporter table, with the organisation's statement and their rights.
 * Stored as one JSON document; the readable page is rendered from it.
 */
import { asc, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db/connection";
import {
  accessExports,
  correspondence,
  donations,
  memberships,
  petitionSignatures,
  subscriptions,
  supporters,
  webVisits,
  type RequestRow,
} from "@/db/schema";
import { normalizeEmail } from "@/lib/auth/email-address";
import { loadStatement, type OrgStatement } from "@/lib/org/statement";
import { currencyExponent } from "@/lib/supporters/currency";
import { COMPLAINT_RIGHT, statesComplaintRight } from "./complaint-right";

export const EXPORT_DAYS = 30;

export type AccessExport = {
  format: "rightsdesk.access-export";
  version: 1;
  organisation: string;
  reference: string;
  subjectEmail: string;
  /** ISO 8601 instants. */
  generatedAt: string;
  availableUntil: string;
  supporterDetails: { externalId: string; email: string; name: string | null; postalAddress: string | null; phone: string | null; source: string; firstRecorded: string; lastUpdated: string }[];
  donations: { externalId: string; amount: string; amountMinor: number; currency: string; date: string; method: string; cardLast4: string | null }[];
  memberships: { externalId: string; plan: string; startedOn: string; endsOn: string | null; status: string }[];
  subscriptions: { externalId: string; list: string; subscribedAt: string; unsubscribedAt: string | null }[];
  petitionSignatures: { externalId: string; petition: string; signedAt: string; comment: string | null }[];
  correspondence: { externalId: string; at: string; direction: "in" | "out"; channel: string; subject: string | null; body: string }[];
  webVisits: { externalId: string; at: string; ipAddress: string; userAgent: string | null; page: string; referrer: string | null }[];
  statement: OrgStatement;
  /** The supporter's rights, one per entry: the statement's, and the right to complain added at the end unless the statement already states it. */
  rights: string[];
};

/** Every table the export reads, by its SQL name; a test checks none is missing. */
export const EXPORTED_TABLES = [
  "supporters",
  "donations",
  "memberships",
  "subscriptions",
  "petition_signatures",
  "correspondence",
  "web_visits",
] as const;

/** "2500" minor units of GBP → "25.00". */
export function formatMinorUnits(amountMinor: number, currency: string): string {
  // An unknown code keeps the common two places.
  const exponent = currencyExponent(currency) ?? 2;
  if (exponent === 0) return String(amountMinor);
  const text = String(amountMinor).padStart(exponent + 1, "0");
  return `${text.slice(0, -exponent)}.${text.slice(-exponent)}`;
}

export function buildAccessExport(
  tx: Executor,
  input: { request: Pick<RequestRow, "reference" | "subjectEmail">; orgName: string; now: Date },
): AccessExport {
  const email = normalizeEmail(input.request.subjectEmail);
  const people = tx.select().from(supporters).where(eq(supporters.email, email)).orderBy(asc(supporters.id)).all();
  const ids = people.map((p) => p.id);
  const statement = loadStatement(tx);
  const { updatedAt: _u, updatedBy: _b, ...org } = statement;
  const owned = <T>(read: () => T[]): T[] => (ids.length === 0 ? [] : read());
  const iso = (d: Date) => d.toISOString();

  return {
    format: "rightsdesk.access-export",
    version: 1,
    organisation: input.orgName,
    reference: input.request.reference,
    subjectEmail: email,
    generatedAt: iso(input.now),
    availableUntil: iso(exportExpiry(input.now)),
    supporterDetails: people.map((p) => ({
      externalId: p.externalId,
      email: p.email,
      name: p.name,
      postalAddress: p.postalAddress,
      phone: p.phone,
      source: p.source,
      firstRecorded: iso(p.createdAt),
      lastUpdated: iso(p.updatedAt),
    })),
    donations: owned(() => tx.select().from(donations).where(inArray(donations.supporterId, ids)).orderBy(asc(donations.donatedOn), asc(donations.id)).all()).map((d) => ({
      externalId: d.externalId,
      amount: formatMinorUnits(d.amountMinor, d.currency),
      amountMinor: d.amountMinor,
      currency: d.currency,
      date: d.donatedOn,
      method: d.method,
      cardLast4: d.cardLast4,
    })),
    memberships: owned(() => tx.select().from(memberships).where(inArray(memberships.supporterId, ids)).orderBy(asc(memberships.startedOn), asc(memberships.id)).all()).map((m) => ({
      externalId: m.externalId,
      plan: m.plan,
      startedOn: m.startedOn,
      endsOn: m.endsOn,
      status: m.status,
    })),
    subscriptions: owned(() => tx.select().from(subscriptions).where(inArray(subscriptions.supporterId, ids)).orderBy(asc(subscriptions.subscribedAt), asc(subscriptions.id)).all()).map((s) => ({
      externalId: s.externalId,
      list: s.list,
      subscribedAt: iso(s.subscribedAt),
      unsubscribedAt: s.unsubscribedAt ? iso(s.unsubscribedAt) : null,
    })),
    petitionSignatures: owned(() =>
      tx.select().from(petitionSignatures).where(inArray(petitionSignatures.supporterId, ids)).orderBy(asc(petitionSignatures.signedAt), asc(petitionSignatures.id)).all(),
    ).map((p) => ({ externalId: p.externalId, petition: p.petition, signedAt: iso(p.signedAt), comment: p.comment })),
    correspondence: owned(() => tx.select().from(correspondence).where(inArray(correspondence.supporterId, ids)).orderBy(asc(correspondence.at), asc(correspondence.id)).all()).map((c) => ({
      externalId: c.externalId,
      at: iso(c.at),
      direction: c.direction,
      channel: c.channel,
      subject: c.subject,
      body: c.body,
    })),
    webVisits: owned(() => tx.select().from(webVisits).where(inArray(webVisits.supporterId, ids)).orderBy(asc(webVisits.at), asc(webVisits.id)).all()).map((w) => ({
      externalId: w.externalId,
      at: iso(w.at),
      ipAddress: w.ipAddress,
      userAgent: w.userAgent,
      page: w.page,
      referrer: w.referrer,
    })),
    statement: org,
    rights: rightsOf(org.rights),
  };
}

/** The statement's rights, one per line, with the right to complain added when the statement does not already state it. */
function rightsOf(statementRights: string): string[] {
  const lines = statementRights.split("\n").map((line) => line.trim()).filter(Boolean);
  return statesComplaintRight(lines) ? lines : [...lines, COMPLAINT_RIGHT];
}

export function exportExpiry(builtAt: Date): Date {
  return new Date(builtAt.getTime() + EXPORT_DAYS * 24 * 60 * 60 * 1000);
}

/** Builds the export for an approved access request and stores it; call inside the approval's transaction. */
export function storeAccessExport(tx: Executor, input: { request: RequestRow; orgName: string; now: Date }): AccessExport {
  const content = buildAccessExport(tx, input);
  const values = { builtAt: input.now, expiresAt: exportExpiry(input.now), content };
  tx.insert(accessExports)
    .values({ requestId: input.request.id, ...values })
    .onConflictDoUpdate({ target: accessExports.requestId, set: values })
    .run();
  return content;
}
