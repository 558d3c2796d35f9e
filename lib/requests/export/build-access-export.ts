/**
 * The answer to an access request: everything held about the requester in
 * every supporter table, with the organisation's statement and their rights.
 * Stored as one JSON document; the readable page is rendered from it.
 */
import { asc, eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db/connection";
import {
  accessExports,
  consentChanges,
  consents,
  correspondence,
  donations,
  mailOutbox,
  memberships,
  petitionSignatures,
  requests,
  subscriptions,
  supporters,
  webVisits,
  type Regime,
  type RequestRow,
} from "@/db/schema";
import { complaintRight } from "@/lib/language/complaint-right";
import { normalizeEmail } from "@/lib/vocabulary/email-address";
import { statementIn, type OrgStatement, type StatementSection } from "@/lib/org/statement";
import type { RequestDetails } from "@/lib/vocabulary/request-details";
import { describeDetails } from "@/lib/requests/views/supporter-views";
import { currencyExponent } from "@/lib/vocabulary/currency";
import { statesComplaintRight } from "@/lib/vocabulary/complaint-right";
import { BASE_LANGUAGE, type Language } from "@/lib/language/languages";
import { connectedSectionsOf, reduceAccessResults, type ConnectedSection } from "./connected-sections";

export const EXPORT_DAYS = 30;

export type AccessExport = {
  format: "rightsdesk.access-export";
  /** 2 added `requests` and `emails`; 3 added `connectedSystems`; 4 added `choices`, `choiceHistory` and each email's `list`. An older export has none of what came later. */
  version: 1 | 2 | 3 | 4;
  organisation: string;
  /**
   * The language the request was made in, which the organisation's words and
   * the readable page are in (absent in exports built before there were languages, which are English).
   */
  language?: Language;
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
  /** Every request the person made to the organisation through the portal (or staff recorded for them), this one included. */
  requests: ExportedRequest[];
  /** Every email the portal sent, or is about to send, to the address. */
  emails: ExportedEmail[];
  /** The person's choices as they stand: each mailing list they decided about, every list at once, selling and sharing. */
  choices: ExportedChoice[];
  /** Every change of those choices, oldest first: when, how, and the words they were shown. */
  choiceHistory: ExportedChoiceChange[];
  /** What each connected database and list server holds, by system; every system searched is listed, even with nothing found. */
  connectedSystems?: ConnectedSection[];
  statement: OrgStatement;
  /**
   * The statement's sections given in another language than the export's (the organisation's default, where it
   * wrote no words in this one), by section; none when every section is in the export's language. Absent in
   * exports built before it was kept.
   */
  statementLanguages?: Partial<Record<StatementSection, Language>>;
  /** The supporter's rights, one per entry: the statement's, and the right to complain added at the end unless the statement already states it. */
  rights: string[];
};

export type ExportedRequest = {
  reference: string;
  type: string;
  status: string;
  name: string | null;
  email: string;
  /** The language it was made in, which every email about it was written in (absent in exports built before there were languages). */
  language?: string;
  /** How it arrived: "web", or "post", "phone", "email" when staff recorded it. */
  channel: string;
  /** For a request staff recorded: how they checked it was the person. */
  identityCheck: string | null;
  /** What the person asked, as label and value. */
  asked: Array<{ label: string; value: string }>;
  receivedAt: string;
  dueOn: string;
  extendedAt: string | null;
  extensionReason: string | null;
  closedAt: string | null;
};

/** What a choice is about, in the export's words. */
export type ChoiceTopic = "mailing_list" | "all_lists" | "sale_sharing";

export type ExportedChoice = {
  topic: ChoiceTopic;
  /** The list's name for a mailing_list choice; null otherwise. */
  list: string | null;
  /** "granted" (yes) or "withdrawn" (no). */
  state: string;
  since: string;
  /** The route it came by: page, one_click, gpc, staff, request or import. */
  how: string;
};

export type ExportedChoiceChange = ExportedChoice & {
  /** When it took effect, and when Rightsdesk recorded it (an import records later what the source says happened earlier). */
  at: string;
  recordedAt: string;
  /** The words the person was shown, or what was sent for them. */
  wording: string;
  /** For an import, the file it came from; null otherwise (the staff member who recorded a choice is staff's data, not the person's). */
  source: string | null;
  /** The request an opt-out was filed as. */
  reference: string | null;
};

export type ExportedEmail = {
  /** Which request it was about, if any. */
  reference: string | null;
  to: string;
  subject: string;
  /** What the message was, e.g. "receipt", "sign-in", "completed". */
  kind: string;
  /** "sent", "pending" (not sent yet) or "failed" (still being retried). */
  status: string;
  queuedAt: string;
  sentAt: string | null;
  /** The text as sent. Null while not sent yet, and for sign-in links, whose text is not kept once delivered. */
  text: string | null;
  /** The mailing list the message was about, if any. */
  list: string | null;
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

/**
 * The portal's own tables that hold the person's data by their address, not
 * through a supporter record: their requests, the mail sent to them, and
 * their choices with the history of each.
 */
export const EXPORTED_PORTAL_TABLES = ["requests", "mail_outbox", "consents", "consent_changes"] as const;

/** "2500" minor units of GBP → "25.00". */
export function formatMinorUnits(amountMinor: number, currency: string): string {
  // An unknown code keeps the common two places.
  const exponent = currencyExponent(currency) ?? 2;
  if (exponent === 0) return String(amountMinor);
  const text = String(amountMinor).padStart(exponent + 1, "0");
  return `${text.slice(0, -exponent)}.${text.slice(-exponent)}`;
}

/**
 * The export for a request, in its language: the organisation's name
 * (`orgName`, in that language), statement and the rights are said in it,
 * falling back to the default language where the organisation gave no words.
 */
export function buildAccessExport(
  tx: Executor,
  input: {
    request: Pick<RequestRow, "reference" | "subjectEmail"> & { language?: Language; regime?: Regime };
    orgName: string;
    now: Date;
    defaultLanguage?: Language;
    connected?: ConnectedSection[];
    /** The authority supporters may complain to, as the organisation names it (COMPLAINT_AUTHORITY); absent: the regime's. */
    complaintAuthority?: string | null;
  },
): AccessExport {
  const email = normalizeEmail(input.request.subjectEmail);
  const language = input.request.language ?? BASE_LANGUAGE;
  const people = tx.select().from(supporters).where(eq(supporters.email, email)).orderBy(asc(supporters.id)).all();
  const ids = people.map((p) => p.id);
  const org = statementIn(tx, language, input.defaultLanguage ?? BASE_LANGUAGE);
  const owned = <T>(read: () => T[]): T[] => (ids.length === 0 ? [] : read());
  const iso = (d: Date) => d.toISOString();

  return {
    format: "rightsdesk.access-export",
    version: 4,
    organisation: input.orgName,
    language,
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
    requests: tx
      .select()
      .from(requests)
      .where(eq(requests.subjectEmail, email))
      .orderBy(asc(requests.receivedAt), asc(requests.id))
      .all()
      .map((r) => ({
        reference: r.reference,
        type: r.type,
        status: r.status,
        name: r.subjectName,
        email: r.subjectEmail,
        language: r.language,
        channel: r.channel,
        identityCheck: r.identityCheck,
        asked: describeDetails(r.details as RequestDetails, "supporter", language),
        receivedAt: iso(r.receivedAt),
        dueOn: r.dueOn,
        extendedAt: r.extendedAt ? iso(r.extendedAt) : null,
        extensionReason: r.extensionReason,
        closedAt: r.closedAt ? iso(r.closedAt) : null,
      })),
    emails: tx
      .select({ mail: mailOutbox, reference: requests.reference })
      .from(mailOutbox)
      .leftJoin(requests, eq(requests.id, mailOutbox.requestId))
      .where(eq(mailOutbox.toAddress, email))
      .orderBy(asc(mailOutbox.createdAt), asc(mailOutbox.id))
      .all()
      .map(({ mail, reference }) => ({
        reference,
        to: mail.toAddress,
        subject: mail.subject,
        kind: mail.kind,
        status: mail.status,
        queuedAt: iso(mail.createdAt),
        sentAt: mail.sentAt ? iso(mail.sentAt) : null,
        // A sign-in link is blanked once delivered and must never be copied anywhere before; an unsent message has no text yet.
        text: mail.sensitive || mail.textBody === "" ? null : mail.textBody,
        list: mail.list,
      })),
    choices: tx
      .select()
      .from(consents)
      .where(eq(consents.email, email))
      .orderBy(asc(consents.topic), asc(consents.list))
      .all()
      .map((c) => ({ topic: c.topic, list: c.topic === "mailing_list" ? c.list : null, state: c.state, since: iso(c.at), how: c.route })),
    choiceHistory: tx
      .select({ change: consentChanges, reference: requests.reference })
      .from(consentChanges)
      .leftJoin(requests, eq(requests.id, consentChanges.requestId))
      .where(eq(consentChanges.email, email))
      .orderBy(asc(consentChanges.id))
      .all()
      .map(({ change: c, reference }) => ({
        topic: c.topic,
        list: c.topic === "mailing_list" ? c.list : null,
        state: c.state,
        since: iso(c.at),
        how: c.route,
        at: iso(c.at),
        recordedAt: iso(c.recordedAt),
        wording: c.wording,
        source: c.route === "import" ? c.detail : null,
        reference,
      })),
    connectedSystems: input.connected ?? [],
    statement: org.statement,
    statementLanguages: org.otherLanguage,
    rights: rightsOf(org.statement.rights, language, input.request.regime ?? "gdpr", input.complaintAuthority),
  };
}

/**
 * The statement's rights, one per line, with the right to complain (in `language`, to the authority the organisation
 * names, else to that of the request's regime) added when the statement does not already state it.
 */
function rightsOf(statementRights: string, language: Language, regime: Regime, authority?: string | null): string[] {
  const lines = rightsLines(statementRights);
  return statesComplaintRight(lines) ? lines : [...lines, complaintRight(language, regime, authority)];
}

/** The statement's rights, one per line: the first entries of an export's `rights`. */
export function rightsLines(statementRights: string): string[] {
  return statementRights.split("\n").map((line) => line.trim()).filter(Boolean);
}

export function exportExpiry(builtAt: Date): Date {
  return new Date(builtAt.getTime() + EXPORT_DAYS * 24 * 60 * 60 * 1000);
}

/** Builds the export for an approved access request and stores it; call inside the approval's transaction. */
export function storeAccessExport(
  tx: Executor,
  input: { request: RequestRow; orgName: string; now: Date; defaultLanguage?: Language; complaintAuthority?: string | null },
): AccessExport {
  // What connected systems' tasks gathered joins the export, which from then on is the only copy of those rows.
  const content = buildAccessExport(tx, { ...input, connected: connectedSectionsOf(tx, input.request.id) });
  reduceAccessResults(tx, input.request.id);
  const values = { builtAt: input.now, expiresAt: exportExpiry(input.now), content };
  tx.insert(accessExports)
    .values({ requestId: input.request.id, ...values })
    .onConflictDoUpdate({ target: accessExports.requestId, set: values })
    .run();
  return content;
}
