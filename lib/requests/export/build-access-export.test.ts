import { eq, getTableColumns, is } from "drizzle-orm";
import { SQLiteTable, getTableConfig } from "drizzle-orm/sqlite-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as schema from "@/db/schema";
import { accessExports, DONATION_METHODS, mailOutbox, requestEvents } from "@/db/schema";
import { LANGUAGES, type Language } from "@/lib/language/languages";
import { fileVerifiedRequest } from "@/lib/requests/intake/file-request";
import type { RequestActor } from "@/lib/requests/lifecycle/request-change";
import { approveRequest, startReview } from "@/lib/requests/casework/staff-step";
import { importCsv } from "@/lib/supporters/import/import-csv";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { countRows, openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { defaultStatement, saveStatement, DEFAULT_STATEMENT } from "@/lib/org/statement";
import { saveOrgTexts } from "@/lib/org/texts";
import { filed } from "@/lib/testing/filed";
import { renderOutboxMail } from "@/lib/testing/outbox";
import { requestEventsOf, requestRow } from "@/lib/testing/request-reads";
import { wordsFor } from "@/lib/language/catalogue";

const COMPLAINT_RIGHT = wordsFor("en")("rights.complain");
import { buildAccessExport, EXPORTED_PORTAL_TABLES, EXPORTED_TABLES, formatMinorUnits, type AccessExport } from "./build-access-export";
import { enqueueMail } from "@/lib/mail/outbox";
import { signInMail } from "@/lib/mail/emails/sign-in";
import { eventLog, tablesSnapshot } from "@/lib/testing/request-reads";
import { openSentExport, OPENED_ACTION, previewAccessExport, PREVIEWED_ACTION, staffExportChoices } from "./staff-export";
import { exportAvailability, findOwnedExport, recordDownload } from "./export-downloads";
import { describeDonationMethod, describeSource, renderExportHtml } from "./render-export-html";
import { signUnsubscribeToken } from "@/lib/mail/unsubscribe-link";
import { unsubscribeByLink } from "@/lib/requests/intake/unsubscribe-by-link";

const OWNER = "ada@example.org";
const REVIEWER: RequestActor = { type: "staff", email: "rita@example.org", role: "reviewer" };
const filedAt = new Date("2026-11-22T09:00:00Z");
const now = new Date("2026-11-23T10:00:00Z");
const later = new Date("2026-11-24T10:00:00Z");

const ONE_OF_EACH = [
  "kind,external_id,supporter_external_id,email,name,postal_address,phone,amount,currency,date,method,card_last4,plan,status,list,at,petition,comment,direction,channel,subject,body,ip_address,user_agent,page,referrer",
  'supporter,S-1,,Ada@example.org,Ada <b>Lovelace</b>,"1 Street\nLondon",+44 20 7946 0000,,,,,,,,,,,,,,,,,,,',
  "donation,D-1,S-1,,,,,25.00,GBP,2025-03-01,card,4242,,,,,,,,,,,,,,",
  "membership,M-1,S-1,,,,,,,2024-01-01,,,Standard,active,,,,,,,,,,,,",
  "subscription,L-1,S-1,,,,,,,,,,,,newsletter,2025-01-01T09:00:00Z,,,,,,,,,,",
  "petition_signature,P-1,S-1,,,,,,,,,,,,,2025-02-01T12:00:00Z,Free the press,Yes,,,,,,,,",
  'correspondence,C-1,S-1,,,,,,,,,,,,,2025-02-02T12:00:00Z,,,in,email,Hello,"<script>alert(1)</script>",,,,',
  "web_visit,W-1,S-1,,,,,,,,,,,,,2025-02-03T12:00:00Z,,,,,,,203.0.113.5,Firefox,/donate,https://example.net/",
  "supporter,S-2,,someone.else@example.org,Bob,,,,,,,,,,,,,,,,,,,,,",
  "donation,D-2,S-2,,,,,99.00,EUR,2025-03-01,cash,,,,,,,,,,,,,,,",
].join("\n");

// Where each column of each exported table shows up: the field it becomes in
// its section of the export, or null for what only the database needs (row
// ids, the link to the supporter, and a donation's anonymisedAt: anonymised
// donations belong to nobody, so they are never in anyone's export).
const COLUMNS_IN_EXPORT: Record<(typeof EXPORTED_TABLES)[number], { section: keyof AccessExport; columns: Record<string, string | null> }> = {
  supporters: {
    section: "supporterDetails",
    columns: { id: null, externalId: "externalId", email: "email", name: "name", postalAddress: "postalAddress", phone: "phone", source: "source", createdAt: "firstRecorded", updatedAt: "lastUpdated" },
  },
  donations: {
    section: "donations",
    columns: { id: null, externalId: "externalId", supporterId: null, amountMinor: "amountMinor", currency: "currency", donatedOn: "date", method: "method", cardLast4: "cardLast4", anonymisedAt: null },
  },
  memberships: { section: "memberships", columns: { id: null, externalId: "externalId", supporterId: null, plan: "plan", startedOn: "startedOn", endsOn: "endsOn", status: "status" } },
  subscriptions: { section: "subscriptions", columns: { id: null, externalId: "externalId", supporterId: null, list: "list", subscribedAt: "subscribedAt", unsubscribedAt: "unsubscribedAt" } },
  petition_signatures: { section: "petitionSignatures", columns: { id: null, externalId: "externalId", supporterId: null, petition: "petition", signedAt: "signedAt", comment: "comment" } },
  correspondence: {
    section: "correspondence",
    columns: { id: null, externalId: "externalId", supporterId: null, at: "at", direction: "direction", channel: "channel", subject: "subject", body: "body" },
  },
  web_visits: {
    section: "webVisits",
    columns: { id: null, externalId: "externalId", supporterId: null, at: "at", ipAddress: "ipAddress", userAgent: "userAgent", page: "page", referrer: "referrer" },
  },
};

// The portal's own tables that hold the person's data by address: every column is in the export or named internal, with why.
const PORTAL_COLUMNS_IN_EXPORT: Record<(typeof EXPORTED_PORTAL_TABLES)[number], { section: keyof AccessExport; columns: Record<string, string | null> }> = {
  requests: {
    section: "requests",
    columns: {
      id: null,
      reference: "reference",
      type: "type",
      status: "status",
      subjectEmail: "email",
      subjectName: "name",
      details: "asked",
      language: "language",
      channel: "channel",
      identityCheck: "identityCheck",
      // The legal regime is the organisation's setting, not the person's data.
      regime: null,
      receivedAt: "receivedAt",
      // receivedAt, as a calendar day.
      receivedOn: null,
      dueOn: "dueOn",
      extendedAt: "extendedAt",
      extensionReason: "extensionReason",
      // Workflow bookkeeping: when the clock stood still is told in the due date.
      clockStoppedOn: null,
      daysClockStopped: null,
      // The staff member working on it: staff's data, not the requester's.
      assigneeEmail: null,
      closedAt: "closedAt",
      // Set only once retention took the address away, after which the request is no one's to export.
      reducedAt: null,
      version: null,
      updatedAt: null,
      // The id another program follows the request by: the program's key, not the person's data (the identity check says how it came).
      intakeId: null,
      // The record's salt for its hash of what the request is: proof-keeping, not the person's data.
      identitySalt: null,
      // Staff's question whether two requests are one, and the internal key of a merge: the merge itself is on the
      // request's history, which the supporter sees.
      possibleDuplicate: null,
      mergedIntoId: null,
    },
  },
  mail_outbox: {
    section: "emails",
    columns: {
      id: null,
      // Delivery machinery: ids, leases, tries and errors say nothing about the person.
      messageId: null,
      kind: "kind",
      toAddress: "to",
      subject: "subject",
      textBody: "text",
      // The same message as the text part, in HTML.
      htmlBody: null,
      sensitive: null,
      requestId: "reference",
      status: "status",
      attempts: null,
      nextAttemptAt: null,
      lockedUntil: null,
      claimToken: null,
      lastError: null,
      createdAt: "queuedAt",
      sentAt: "sentAt",
      // What the text is rendered from when the message is sent; the text as sent is exported.
      template: null,
      props: null,
      autoRetry: null,
      alertedAt: null,
      list: "list",
    },
  },
  consents: {
    section: "choices",
    columns: {
      id: null,
      // The export's own address: every row is the person's.
      email: null,
      topic: "topic",
      list: "list",
      state: "state",
      at: "since",
      route: "how",
    },
  },
  consent_changes: {
    section: "choiceHistory",
    columns: {
      id: null,
      email: null,
      topic: "topic",
      list: "list",
      state: "state",
      at: "at",
      route: "how",
      wording: "wording",
      detail: "source",
      requestId: "reference",
      recordedAt: "recordedAt",
    },
  },
};

describe("the access export", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
    const report = importCsv(t.db, ONE_OF_EACH, { source: "test.csv", secret: TEST_CONTEXT.authSecret, now: filedAt });
    if (!report.ok) throw new Error(JSON.stringify(report.problems));
  });
  afterEach(() => t.close());

  function fileAccess(email = OWNER): string {
    return filed(fileVerifiedRequest(t.db, { submission: { type: "access", email, details: { type: "access" } }, now: filedAt, ctx: TEST_CONTEXT })).reference;
  }

  function approve(reference: string) {
    const reviewing = startReview(t.db, { reference, actor: REVIEWER, expectedVersion: 1, now });
    if (!reviewing.ok) throw new Error(reviewing.message);
    return approveRequest(t.db, { reference, actor: REVIEWER, expectedVersion: reviewing.request.version, now, ctx: TEST_CONTEXT });
  }

  it("holds one row of every supporter table, and only the requester's", () => {
    const doc = buildAccessExport(t.db, { request: { reference: "RD-TEST-0001", subjectEmail: OWNER }, orgName: "Test Org", now });
    expect(doc.supporterDetails).toEqual([expect.objectContaining({ externalId: "S-1", email: OWNER, postalAddress: "1 Street\nLondon" })]);
    expect(doc.donations).toEqual([{ externalId: "D-1", amount: "25.00", amountMinor: 2500, currency: "GBP", date: "2025-03-01", method: "card", cardLast4: "4242" }]);
    expect(doc.memberships).toEqual([{ externalId: "M-1", plan: "Standard", startedOn: "2024-01-01", endsOn: null, status: "active" }]);
    expect(doc.subscriptions).toEqual([{ externalId: "L-1", list: "newsletter", subscribedAt: "2025-01-01T09:00:00.000Z", unsubscribedAt: null }]);
    expect(doc.petitionSignatures).toEqual([{ externalId: "P-1", petition: "Free the press", signedAt: "2025-02-01T12:00:00.000Z", comment: "Yes" }]);
    expect(doc.correspondence).toEqual([expect.objectContaining({ externalId: "C-1", direction: "in", body: "<script>alert(1)</script>" })]);
    expect(doc.webVisits).toEqual([expect.objectContaining({ externalId: "W-1", ipAddress: "203.0.113.5", page: "/donate" })]);
    expect(JSON.stringify(doc)).not.toContain("someone.else");
    expect(doc.statement).toEqual(DEFAULT_STATEMENT);
    expect(doc.rights.at(-1)).toContain("supervisory authority");
    // The default statement's last line states the right to complain, so it is not said twice.
    expect(doc.rights).toEqual(DEFAULT_STATEMENT.rights.split("\n"));
    expect(doc.rights.filter((r) => r.includes("supervisory authority"))).toHaveLength(1);
    expect(doc.availableUntil).toBe("2026-12-23T10:00:00.000Z");
  });

  it("covers every table in the schema that holds a supporter's records", () => {
    // A table belongs to a supporter when it points at supporters; a new one
    // must be added to the export (or this test changed on purpose).
    const tables = (Object.values(schema) as unknown[]).filter((value): value is SQLiteTable => is(value, SQLiteTable));
    const supporterTables = tables
      .map((table) => getTableConfig(table))
      .filter((config) => config.name === "supporters" || config.foreignKeys.some((fk) => getTableConfig(fk.reference().foreignTable).name === "supporters"))
      // Which fields a correction changed and what the source had before: the corrected value is in the record itself,
      // and the earlier one is what the source system still holds. Not yet in the export; see the note on the import work.
      .filter((config) => config.name !== "supporter_corrections")
      .map((config) => config.name)
      .sort();
    expect([...EXPORTED_TABLES].sort()).toEqual(supporterTables);
    // And every column of each table is either in the export or an internal key.
    expect(Object.keys(getTableColumns(schema.donations)).sort()).toEqual(
      ["id", "externalId", "supporterId", "amountMinor", "currency", "donatedOn", "method", "cardLast4", "anonymisedAt"].sort(),
    );
    const doc = buildAccessExport(t.db, { request: { reference: "RD-TEST-0006", subjectEmail: OWNER }, orgName: "Test Org", now });
    // The portal's own records of the person: a request of theirs and a sent email.
    fileAccess();
    t.db.update(mailOutbox).set({ status: "sent", sentAt: now, textBody: "Your request was received." }).run();
    const withOwn = buildAccessExport(t.db, { request: { reference: "RD-TEST-0006", subjectEmail: OWNER }, orgName: "Test Org", now });
    const covered = { ...COLUMNS_IN_EXPORT, ...PORTAL_COLUMNS_IN_EXPORT };
    for (const name of [...EXPORTED_TABLES, ...EXPORTED_PORTAL_TABLES]) {
      const table = tables.find((candidate) => getTableConfig(candidate).name === name)!;
      const { section, columns } = covered[name];
      // A column added to the table fails here until it is exported or named internal above.
      expect(Object.keys(getTableColumns(table)).sort(), name).toEqual(Object.keys(columns).sort());
      const entry = (withOwn[section] as Record<string, unknown>[])[0];
      expect(entry, `${section} holds the fixture's row`).toBeDefined();
      for (const [column, field] of Object.entries(columns)) {
        if (field !== null) expect(entry, `${name}.${column} is ${section}[].${field}`).toHaveProperty(field);
      }
    }
  });

  it("an empty export for someone the organisation holds nothing about", () => {
    const doc = buildAccessExport(t.db, { request: { reference: "RD-TEST-0002", subjectEmail: "nobody@example.org" }, orgName: "Test Org", now });
    expect([doc.supporterDetails, doc.donations, doc.memberships, doc.subscriptions, doc.petitionSignatures, doc.correspondence, doc.webVisits, doc.requests, doc.emails, doc.choices, doc.choiceHistory]).toEqual([
      [], [], [], [], [], [], [], [], [], [], [],
    ]);
  });

  it("holds the person's own requests and the emails sent to them, and no one else's; never the text of a sign-in link", () => {
    const concern = filed(
      fileVerifiedRequest(t.db, { submission: { type: "concern", email: OWNER, name: "Ada", details: { type: "concern", message: "Why the letters?" } }, now: filedAt, ctx: TEST_CONTEXT }),
    ).reference;
    fileAccess("someone.else@example.org");
    enqueueMail(t.db, { ...signInMail.draft({ orgName: "Test Org", link: "http://127.0.0.1:3999/api/auth/callback/email?token=SECRET", linkMinutes: 30 }), to: OWNER, kind: "sign-in", sensitive: true }, { now: filedAt, appUrl: TEST_CONTEXT.appUrl });
    // The worker renders and sends: the receipt's text is kept as sent, the sign-in link's is not (it is blanked once delivered).
    t.db.update(mailOutbox).set({ status: "sent", sentAt: now, textBody: "Thank you, we received your concern." }).where(eq(mailOutbox.kind, "receipt")).run();
    t.db.update(mailOutbox).set({ status: "sent", sentAt: now, textBody: "Follow http://x/?token=SECRET" }).where(eq(mailOutbox.kind, "sign-in")).run();

    const doc = buildAccessExport(t.db, { request: { reference: "RD-TEST-0007", subjectEmail: OWNER }, orgName: "Test Org", now });
    expect(doc.version).toBe(4);
    expect(doc.requests).toEqual([
      {
        reference: concern,
        type: "concern",
        status: "received",
        name: "Ada",
        email: OWNER,
        language: "en",
        channel: "web",
        identityCheck: null,
        asked: [{ label: "Your concern", value: "Why the letters?" }],
        receivedAt: filedAt.toISOString(),
        dueOn: "2026-12-22",
        extendedAt: null,
        extensionReason: null,
        closedAt: null,
      },
    ]);
    expect(doc.emails.map((e) => [e.reference, e.kind, e.status, e.sentAt, e.text])).toEqual([
      [concern, "receipt", "sent", now.toISOString(), "Thank you, we received your concern."],
      [null, "sign-in", "sent", now.toISOString(), null],
    ]);
    expect(doc.emails[0]).toMatchObject({ to: OWNER, subject: `We have received your request ${concern}`, queuedAt: filedAt.toISOString() });
    expect(JSON.stringify(doc)).not.toContain("SECRET");
    expect(JSON.stringify(doc)).not.toContain("someone.else");
  });

  it("holds the person's choices and their history: the import's consent, then leaving a list by the link in an email", () => {
    const token = signUnsubscribeToken(OWNER, TEST_CONTEXT.authSecret, filedAt, { list: "newsletter" });
    const left = unsubscribeByLink(t.db, { token, now: filedAt, ctx: TEST_CONTEXT });
    if (!left.ok || !left.reference) throw new Error("the link did not work");
    const doc = buildAccessExport(t.db, { request: { reference: "RD-TEST-0008", subjectEmail: OWNER }, orgName: "Test Org", now });
    expect(doc.choices).toEqual([{ topic: "mailing_list", list: "newsletter", state: "withdrawn", since: filedAt.toISOString(), how: "one_click" }]);
    expect(doc.choiceHistory).toEqual([
      {
        topic: "mailing_list",
        list: "newsletter",
        state: "granted",
        since: "2025-01-01T09:00:00.000Z",
        at: "2025-01-01T09:00:00.000Z",
        recordedAt: filedAt.toISOString(),
        how: "import",
        wording: "The organisation's records (test.csv): on the list since 2025-01-01.",
        source: "test.csv",
        reference: null,
      },
      {
        topic: "mailing_list",
        list: "newsletter",
        state: "withdrawn",
        since: filedAt.toISOString(),
        at: filedAt.toISOString(),
        recordedAt: filedAt.toISOString(),
        how: "one_click",
        wording: 'One-click unsubscribe (List-Unsubscribe=One-Click) from an email about the list "Newsletter".',
        source: null,
        reference: left.reference,
      },
    ]);
    const html = renderExportHtml(doc, "UTC");
    expect(html).toContain('<h2 id="choices">Your choices about our emails');
    expect(html).toContain("One-click unsubscribe (List-Unsubscribe=One-Click) from an email about the list &quot;Newsletter&quot;.");
  });

  it("staff preview the export before release: built as approval would, stored nowhere, and the preview is on the record", () => {
    const reference = fileAccess();
    const before = tablesSnapshot(t.db);
    const preview = previewAccessExport(t.db, { reference, staffEmail: REVIEWER.type === "staff" ? REVIEWER.email : "", ctx: TEST_CONTEXT, now });
    expect(preview).toMatchObject({ ok: true, builtAt: now, content: { reference, donations: [expect.objectContaining({ externalId: "D-1" })] } });
    expect(countRows(t.db, accessExports)).toBe(0);
    const after = tablesSnapshot(t.db);
    // Nothing changed but one event: the request (and its version), the mail and every other table stay as they were.
    expect(after.requests).toEqual(before.requests);
    expect(after.mails).toEqual(before.mails);
    expect(after.events.slice(0, -1)).toEqual(before.events);
    expect(after.events.at(-1)).toMatchObject({ action: PREVIEWED_ACTION, actorType: "staff", actorEmail: "rita@example.org", fromStatus: null, toStatus: null });
    expect(staffExportChoices(t.db, requestRow(t.db, reference))).toEqual({ preview: true, sent: false });
    expect(openSentExport(t.db, { reference, staffEmail: "rita@example.org", now })).toMatchObject({ ok: false, reason: "not_found" });
  });

  it("staff open the export as it was sent, on the record; a closed request has no preview", () => {
    const reference = fileAccess();
    approve(reference);
    const stored = t.db.select().from(accessExports).get()!;
    expect(staffExportChoices(t.db, requestRow(t.db, reference))).toEqual({ preview: false, sent: true });
    const events = eventLog(t.db).length;
    expect(openSentExport(t.db, { reference, staffEmail: "rita@example.org", now: later })).toEqual({ ok: true, content: stored.content, builtAt: stored.builtAt });
    expect(eventLog(t.db)).toHaveLength(events + 1);
    expect(eventLog(t.db).at(-1)).toMatchObject({ action: OPENED_ACTION, actorEmail: "rita@example.org", at: later });
    const refused = previewAccessExport(t.db, { reference, staffEmail: "rita@example.org", ctx: TEST_CONTEXT, now: later });
    expect(refused).toMatchObject({ ok: false, reason: "not_allowed" });
    expect(eventLog(t.db)).toHaveLength(events + 1);
  });

  it("there is no export to preview or open for other request types", () => {
    const { reference } = filed(fileVerifiedRequest(t.db, { submission: { type: "concern", email: OWNER, details: { type: "concern", message: "Hm" } }, now: filedAt, ctx: TEST_CONTEXT }));
    expect(previewAccessExport(t.db, { reference, staffEmail: "rita@example.org", ctx: TEST_CONTEXT, now })).toMatchObject({ ok: false, reason: "not_allowed" });
    expect(previewAccessExport(t.db, { reference: "RD-NONE-0000", staffEmail: "rita@example.org", ctx: TEST_CONTEXT, now })).toMatchObject({ ok: false, reason: "not_found" });
    expect(staffExportChoices(t.db, requestRow(t.db, reference))).toEqual({ preview: false, sent: false });
  });

  it("uses the statement the admin saved", () => {
    saveStatement(t.db, { ...DEFAULT_STATEMENT, purposes: "Campaigning.", donationRetentionYears: 7 }, { email: "admin@example.org", now });
    const doc = buildAccessExport(t.db, { request: { reference: "RD-TEST-0003", subjectEmail: OWNER }, orgName: "Test Org", now });
    expect(doc.statement).toMatchObject({ purposes: "Campaigning.", donationRetentionYears: 7 });
  });

  it("marks the sections of the statement said in the default language, where the organisation gave none in the export's", () => {
    saveStatement(t.db, { ...DEFAULT_STATEMENT, purposes: "Campaigning.", rights: "You can ask to see your data.\nYou can ask us to stop." }, { email: "admin@example.org", now });
    saveOrgTexts(t.db, "fr", { orgName: null, purposes: "Faire campagne.", recipients: null, retention: null, sources: null, rights: null }, { email: "admin@example.org", now });
    const french = buildAccessExport(t.db, { request: { reference: "RD-TEST-0006", subjectEmail: OWNER, language: "fr" }, orgName: "Test Org", now });
    expect(french.statement.purposes).toBe("Faire campagne.");
    expect(french.statementLanguages).toEqual({ recipients: "en", retention: "en", sources: "en", rights: "en" });
    const html = renderExportHtml(french, "UTC");
    expect(html).toContain('<html lang="fr"');
    // Purposes in French, unmarked; the others marked as English; the rights the statement gave marked, the right to complain (French) not.
    expect(html).toMatch(/<ul><li>Faire campagne\.<\/li><\/ul>/);
    expect(html).toContain(`<ul lang="en" dir="ltr"><li>${DEFAULT_STATEMENT.recipients.split("\n")[0]}`);
    expect(html).toContain('<li lang="en" dir="ltr">You can ask to see your data.</li><li lang="en" dir="ltr">You can ask us to stop.</li><li>');
    expect(html.match(/ lang="en"/g)).toHaveLength(5);

    // In the default language itself, and in a language whose words the organisation has not saved a statement against, nothing is marked.
    const english = buildAccessExport(t.db, { request: { reference: "RD-TEST-0006", subjectEmail: OWNER, language: "en" }, orgName: "Test Org", now });
    expect(english.statementLanguages).toEqual({});
    expect(renderExportHtml(english, "UTC")).not.toMatch(/<(ul|li) lang=/);
  });

  it("marks nothing while the built-in starting point, which exists in every language, stands", () => {
    const german = buildAccessExport(t.db, { request: { reference: "RD-TEST-0006", subjectEmail: OWNER, language: "de" }, orgName: "Test Org", now });
    expect(german.statementLanguages).toEqual({});
    expect(german.statement.purposes).toBe(defaultStatement("de").purposes);
  });

  it.each([
    ["You can ask to see your data.\nYou can raise a concern with us.", true],
    ["You can ask to see your data.\nYou may complain to the Information Commissioner's Office.", false],
    ["You can ask to see your data.\nYou can lodge a complaint with the ICO.", false],
  ])("adds the right to complain to a statement of rights unless it states it: %j", (rights, added) => {
    saveStatement(t.db, { ...DEFAULT_STATEMENT, rights }, { email: "admin@example.org", now });
    const doc = buildAccessExport(t.db, { request: { reference: "RD-TEST-0005", subjectEmail: OWNER }, orgName: "Test Org", now });
    const lines = rights.split("\n");
    expect(doc.rights).toEqual(added ? [...lines, COMPLAINT_RIGHT] : lines);
  });

  it("approving an access request builds the export and completes it as the system, with an email and no attachment", async () => {
    const reference = fileAccess();
    const result = approveRequest(t.db, { reference, actor: REVIEWER, expectedVersion: 1, now, ctx: TEST_CONTEXT });
    expect(result.ok).toBe(false); // received → approved is not a move staff can make: review comes first
    const done = approve(reference);
    expect(done).toMatchObject({ ok: true, request: { status: "completed", closedAt: now } });
    const request = requestRow(t.db, reference);
    const events = requestEventsOf(t.db, reference);
    expect(events.map((e) => [e.action, e.actorType])).toEqual([
      ["filed", "supporter"],
      ["review_started", "staff"],
      ["approved", "staff"],
      ["completed", "system"],
    ]);
    const stored = t.db.select().from(accessExports).where(eq(accessExports.requestId, request.id)).get()!;
    expect(stored.expiresAt).toEqual(new Date("2026-12-23T10:00:00Z"));
    expect((stored.content as AccessExport).donations[0]?.cardLast4).toBe("4242");
    const mail = await renderOutboxMail(t.db.select().from(mailOutbox).where(eq(mailOutbox.kind, "completed")).get()!);
    expect(mail.toAddress).toBe(OWNER);
    expect(mail.text).toContain(`/requests/${reference}`);
    expect(mail.text).toContain("Nothing is attached");
    expect(mail.text).not.toContain("4242");
  });

  it("approving other request types leaves them approved", () => {
    const { reference } = filed(
      fileVerifiedRequest(t.db, {
        submission: { type: "concern", email: OWNER, details: { type: "concern", message: "Why so many letters?" } },
        now: filedAt,
        ctx: TEST_CONTEXT,
      }),
    );
    expect(approve(reference)).toMatchObject({ ok: true, request: { status: "approved" } });
    expect(countRows(t.db, accessExports)).toBe(0);
  });

  it("only the owner reaches the export, only for 30 days, and each download is recorded", () => {
    const reference = fileAccess();
    approve(reference);
    expect(findOwnedExport(t.db, { reference, email: "someone.else@example.org", now })).toEqual({ status: "none" });
    expect(findOwnedExport(t.db, { reference: "RD-NONE-0000", email: OWNER, now })).toEqual({ status: "none" });
    const ready = findOwnedExport(t.db, { reference, email: OWNER, now });
    expect(ready.status).toBe("ready");
    const later = new Date("2026-12-23T10:00:00Z");
    expect(findOwnedExport(t.db, { reference, email: OWNER, now: later })).toMatchObject({ status: "expired" });
    expect(exportAvailability(t.db, { reference, email: OWNER, now: later })).toMatchObject({ status: "expired" });
    expect(exportAvailability(t.db, { reference, email: OWNER, now })).toMatchObject({ status: "ready" });

    if (ready.status !== "ready") throw new Error("not ready");
    recordDownload(t.db, { requestId: ready.requestId, format: "json", now });
    recordDownload(t.db, { requestId: ready.requestId, format: "html", now });
    const downloads = t.db.select().from(requestEvents).where(eq(requestEvents.action, "downloaded")).all();
    expect(downloads.map((e) => [e.actorType, e.actorEmail, e.note])).toEqual([
      ["supporter", null, "JSON file"],
      ["supporter", null, "readable page"],
    ]);
  });

  it("the readable page escapes everything it shows", () => {
    const doc = buildAccessExport(t.db, { request: { reference: "RD-TEST-0004", subjectEmail: OWNER }, orgName: "Org <i>x</i>", now });
    const html = renderExportHtml(doc, "UTC");
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<b>Lovelace</b>");
    expect(html).not.toContain("<i>x</i>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("25.00 GBP");
    expect(html).toContain("4242");
  });

  it("the readable page shows the name a list server keeps with each list, escaped, and a Since column only where a server gave a date", () => {
    const doc = buildAccessExport(t.db, { request: { reference: "RD-TEST-0005", subjectEmail: OWNER }, orgName: "Test Org", now });
    const lists = [
      { list: "news@lists.example.org", listName: "News", role: "member", subscribedAt: null, name: "Ada <b>L</b>" },
      { list: "alerts@lists.example.org", listName: "Alerts", role: "member", subscribedAt: null, name: null },
    ];
    const html = renderExportHtml({ ...doc, connectedSystems: [{ system: "Lists", kind: "mailman", searchedAt: now.toISOString(), lists }] }, "UTC");
    expect(html).toContain('<th scope="col">List</th><th scope="col">Name</th><th scope="col">As</th></tr>');
    expect(html).toContain('<td data-label="Name">Ada &lt;b&gt;L&lt;/b&gt;</td>');
    expect(html).toContain('<td data-label="Name">—</td>');
  });

  it("the readable page is one self-contained file, readable on a phone and in print, with a table of contents", () => {
    const reference = fileAccess();
    const doc = buildAccessExport(t.db, { request: { reference, subjectEmail: OWNER }, orgName: "Test Org", now });
    const html = renderExportHtml(doc, "UTC");
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toMatch(/<meta name="description" content="Everything Test Org holds about you/);
    expect(html).toMatch(/@media \(max-width: 40rem\)/);
    expect(html).toMatch(/@media print/);
    // Nothing outside the file: no scripts, stylesheets, images, fonts or links elsewhere.
    expect(html).not.toMatch(/<script|<link|<img|src=|url\(|@import|href="(?!#)/i);
    // Every section is in the table of contents, linked to its heading.
    const anchors = [...html.matchAll(/<li><a href="#([a-z]+)">/g)].map((m) => m[1]);
    expect(anchors).toEqual(["details", "donations", "memberships", "lists", "petitions", "correspondence", "visits", "requests", "emails", "choices", "history", "use", "rights"]);
    for (const id of anchors) expect(html).toContain(`<h2 id="${id}">`);
    expect(html).toContain(`<h2 id="requests">Your requests to us <small>(1)</small></h2>`);
    expect(html).toContain(`<h2 id="emails">Emails we sent you <small>(1)</small></h2>`);
    // Where a record came from, in words, not "import: test.csv".
    expect(html).toContain('<td data-label="Where it came from">Our records (test.csv), first recorded on 22 November 2026</td>');
    expect(html).not.toContain("staff preview");
    // Served under a policy that admits inline styles only with its nonce, the style sheet carries it.
    expect(html).toContain("<style>");
    expect(renderExportHtml(doc, "UTC", { styleNonce: 'n0nce"x' })).toContain('<style nonce="n0nce&quot;x">');
  });

  it.each([
    ["en", "Method", "Card"],
    ["fr", "Moyen de paiement", "Carte bancaire"],
    ["es", "Forma de pago", "Tarjeta"],
    ["de", "Zahlungsart", "Kartenzahlung"],
  ] as const)("the readable page in %s names the payment method in the reader's words; the JSON keeps the code", (language, label, words) => {
    const doc = { ...buildAccessExport(t.db, { request: { reference: "RD-TEST-0010", subjectEmail: OWNER }, orgName: "Test Org", now }), language };
    expect(renderExportHtml(doc, "UTC")).toContain(`<td data-label="${label}">${words}</td>`);
    expect(JSON.parse(JSON.stringify(doc)).donations[0].method).toBe("card");
  });

  it.each<[string, Language, string]>([
    ["card", "de", "Kartenzahlung"],
    ["direct_debit", "de", "Lastschrift"],
    ["bank_transfer", "de", "Überweisung"],
    ["cheque", "de", "Scheck"],
    ["cash", "de", "Barzahlung"],
    ["paypal", "de", "PayPal"],
    ["other", "de", "Sonstige"],
    ["bank_transfer", "en", "Bank transfer"],
    ["direct_debit", "fr", "Prélèvement"],
    ["cash", "es", "Efectivo"],
    // A code this version does not know (an export stored by another version) is shown as it is.
    ["standing_order", "de", "standing order"],
    ["toString", "en", "toString"],
  ])("the payment method %j reads, in %s, %j", (method, language, words) => {
    expect(describeDonationMethod(method, language)).toBe(words);
  });

  it("has words for every payment method in every language", () => {
    for (const language of LANGUAGES) {
      for (const method of DONATION_METHODS) expect(describeDonationMethod(method, language)).not.toMatch(/_|^exportPage/);
    }
  });

  it.each([
    ["import: supporters.csv", "Our supporter database (CRM), imported on 2 December 2026"],
    ["upload: crm-export.csv by lead@example.org", "Our supporter database (CRM), imported on 2 December 2026"],
    ["demo data (npm run seed:demo)", "Made-up demonstration data, created on 2 December 2026"],
    ["Payment processor", "Our records (Payment processor), first recorded on 2 December 2026"],
  ])("a record's source %j reads %j", (source, words) => {
    // 23:30 UTC is already the next day in Auckland, the same day in London.
    expect(describeSource(source, "2026-12-02T23:30:00.000Z", "Europe/London")).toBe(words);
    expect(describeSource(source, "2026-12-01T23:30:00.000Z", "Pacific/Auckland")).toBe(words);
  });

  it("staff see which look at the export they have: a preview, or what was sent", () => {
    const doc = buildAccessExport(t.db, { request: { reference: "RD-TEST-0008", subjectEmail: OWNER }, orgName: "Test Org", now });
    expect(renderExportHtml(doc, "UTC", { staffLook: "preview" })).toContain('<p class="staff" role="note" lang="en">Staff preview, built 23 November 2026 at 10:00 from the records as they are now, in the request\'s language. Nothing has been stored or sent');
    expect(renderExportHtml(doc, "UTC", { staffLook: "sent" })).toContain('<p class="staff" role="note" lang="en">The export as sent to the supporter');
  });

  it("an export stored before it held requests and emails still renders, without claiming there were none", () => {
    const { requests: _r, emails: _e, ...v1 } = buildAccessExport(t.db, { request: { reference: "RD-TEST-0009", subjectEmail: OWNER }, orgName: "Test Org", now });
    const html = renderExportHtml({ ...v1, version: 1 } as AccessExport, "UTC");
    expect(html).toContain('<h2 id="details">');
    expect(html).not.toContain('id="requests"');
    expect(html).not.toContain('id="emails"');
  });

  it.each([
    [2500, "GBP", "25.00"],
    [5, "GBP", "0.05"],
    [1500, "JPY", "1500"],
    [1234, "KWD", "1.234"],
    [250, "ZZZ", "2.50"], // an unknown code keeps two places
  ])("%s minor units of %s read %s", (minor, currency, text) => expect(formatMinorUnits(minor, currency)).toBe(text));
});
