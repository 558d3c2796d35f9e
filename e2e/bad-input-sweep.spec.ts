/**
 * Every form (server action, read from app/) and every route handler fed
 * with bad input: an empty form, 1 MB in a field, control characters, CRLF
 * where a value could reach a mail header, malformed JSON, wrong types.
 * Each is answered with a specific message (a 4xx from the proxy or the
 * route; a form's own field message from an action), never a 500, and
 * nothing is stored. Then HTML in every text field is shown as text in pages
 * and escaped in mail.
 */
import { randomBytes } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { builtAction, callAction, type ActionAnswer } from "./support/actions";
import { PROGRAM_ADDRESSES } from "../lib/http/request-checks";
import { appRoutes } from "./support/app-routes";
import { expect, signedInPage, test } from "./support/fixtures";
import { countRows, fileAndConfirm, followLink, queryDatabase, REFERENCE } from "./support/journeys";
import { signInLink, waitForMail } from "./support/mail";

type Caller = "anonymous" | "supporter" | "reviewer" | "admin";
type World = { ownRef: string; targetRef: string; version: string; email: string; today: string };

type FormSpec = {
  caller: Caller;
  /** A submission that would pass; each bad value replaces one field of it. */
  valid: (w: World) => Record<string, string>;
  /** Fields of free text, each tried with 1 MB and with a control character. */
  text: string[];
  /** Fields holding an address that ends up in a mail header: tried with CRLF and a second header. */
  addresses?: string[];
};

/** Every server action that takes input. (signOut takes none.) */
const FORMS: Record<string, FormSpec[]> = {
  "app/(public)/new/actions.ts#submitRequest": [
    { caller: "anonymous", valid: (w) => ({ type: "concern", email: w.email, name: "Ann", message: "Why the letters?" }), text: ["message", "name"], addresses: ["email"] },
    {
      caller: "anonymous",
      valid: (w) => ({ type: "correction", email: w.email, correct_postalAddress: "1 Road", note: "Moved" }),
      text: ["correct_postalAddress", "note", "correct_name", "correct_phone"],
      addresses: ["correct_email"],
    },
  ],
  "app/(public)/signin/actions.ts#requestSignInLink": [{ caller: "anonymous", valid: (w) => ({ email: w.email, next: "/requests" }), text: [], addresses: ["email"] }],
  // Checking a receipt stores nothing; what is pasted only has to be text of a sensible size.
  "app/(public)/verify/actions.ts#checkReceipt": [{ caller: "anonymous", valid: () => ({ receipt: "-----BEGIN RIGHTSDESK RECEIPT-----\nReference: RD-AAAA-AAAA" }), text: ["receipt"] }],
  // An id no agent's request has: refused with a sentence, nothing sent.
  "app/(public)/agents/verify/[requestId]/actions.ts#resendAgentLink": [{ caller: "anonymous", valid: () => ({ requestId: "00000000-0000-0000-0000-000000000000" }), text: ["requestId"] }],
  "app/(public)/signin/check-inbox/actions.ts#resendLink": [
    { caller: "anonymous", valid: (w) => ({ email: w.email, purpose: "signin", next: "/requests" }), text: [], addresses: ["email"] },
  ],
  "app/(public)/requests/[ref]/actions.ts#cancelRequest": [{ caller: "supporter", valid: (w) => ({ reference: w.ownRef }), text: ["reference"] }],
  "app/(public)/requests/[ref]/actions.ts#answerQuestionAction": [
    { caller: "supporter", valid: (w) => ({ reference: w.ownRef, answer: "12 Harbour Row" }), text: ["reference", "answer"] },
  ],
  "app/staff/requests/[ref]/actions.ts#startReviewAction": [{ caller: "reviewer", valid: (w) => ({ reference: w.targetRef, version: w.version }), text: ["reference", "version"] }],
  "app/staff/requests/[ref]/actions.ts#approveAction": [{ caller: "reviewer", valid: (w) => ({ reference: w.targetRef, version: w.version }), text: ["reference", "version"] }],
  "app/staff/requests/[ref]/actions.ts#askAction": [
    { caller: "reviewer", valid: (w) => ({ reference: w.targetRef, version: w.version, question: "Which address?" }), text: ["question"] },
  ],
  "app/staff/requests/[ref]/actions.ts#extendAction": [
    { caller: "reviewer", valid: (w) => ({ reference: w.targetRef, version: w.version, reason: "Complex.", amount: "1" }), text: ["reason"] },
  ],
  "app/staff/requests/[ref]/actions.ts#answerConcernAction": [
    { caller: "reviewer", valid: (w) => ({ reference: w.targetRef, version: w.version, answer: "Done." }), text: ["answer"] },
  ],
  "app/staff/requests/[ref]/actions.ts#denyAction": [
    { caller: "reviewer", valid: (w) => ({ reference: w.targetRef, version: w.version, reason: "Excessive." }), text: ["reason"] },
  ],
  "app/staff/requests/[ref]/actions.ts#cancelAction": [
    { caller: "reviewer", valid: (w) => ({ reference: w.targetRef, version: w.version, reason: "Duplicate." }), text: ["reason"] },
  ],
  "app/staff/requests/[ref]/actions.ts#assignAction": [
    { caller: "reviewer", valid: (w) => ({ reference: w.targetRef, version: w.version, assignee: "staff@example.org" }), text: [], addresses: ["assignee"] },
  ],
  "app/staff/requests/[ref]/actions.ts#noteAction": [{ caller: "reviewer", valid: (w) => ({ reference: w.targetRef, note: "Checked." }), text: ["note"] }],
  "app/staff/requests/[ref]/actions.ts#overrideLimitAction": [
    { caller: "reviewer", valid: (w) => ({ reference: w.targetRef, version: w.version, reason: "Not a repeat." }), text: ["reason"] },
  ],
  "app/staff/team/actions.ts#addMember": [{ caller: "admin", valid: (w) => ({ email: w.email, role: "reviewer" }), text: [], addresses: ["email"] }],
  "app/staff/team/actions.ts#changeMemberRole": [{ caller: "admin", valid: (w) => ({ email: w.email, role: "admin" }), text: [], addresses: ["email"] }],
  "app/staff/team/actions.ts#removeMember": [{ caller: "admin", valid: (w) => ({ email: w.email }), text: [], addresses: ["email"] }],
  "app/staff/mail/actions.ts#retryMailAction": [{ caller: "admin", valid: () => ({ message: "all" }), text: [] }],
  // Its one field is a file, not text: the form without one is refused here; the file's rows are checked by the import
  // itself (every problem reported by line; see "a file with bad rows is refused whole" in access.spec.ts).
  "app/staff/import/actions.ts#importAction": [{ caller: "admin", valid: () => ({}), text: [] }],
  "app/(public)/requests/[ref]/concern-actions.ts#replyToConcernAction": [
    { caller: "supporter", valid: (w) => ({ reference: w.ownRef, message: "Thank you." }), text: ["reference", "message"] },
  ],
  "app/staff/requests/[ref]/fulfilment-actions.ts#decideCorrectionsAction": [
    {
      caller: "reviewer",
      valid: (w) => ({ reference: w.targetRef, version: w.version, decision_name: "rejected", note_name: "Not this person." }),
      text: ["note_name", "note_phone"],
    },
  ],
  "app/staff/requests/[ref]/fulfilment-actions.ts#tickTaskAction": [
    { caller: "reviewer", valid: (w) => ({ reference: w.targetRef, task: "1", note: "Deleted by hand." }), text: ["note"] },
  ],
  "app/staff/requests/[ref]/fulfilment-actions.ts#retryTaskAction": [{ caller: "reviewer", valid: (w) => ({ reference: w.targetRef, task: "1" }), text: [] }],
  "app/staff/requests/[ref]/fulfilment-actions.ts#messageAction": [
    { caller: "reviewer", valid: (w) => ({ reference: w.targetRef, message: "We are looking into it." }), text: ["message"] },
  ],
  "app/staff/lists/actions.ts#saveListWordsAction": [
    { caller: "admin", valid: () => ({ list: "newsletter", title: "Monthly news", description: "News from us, once a month." }), text: ["title", "description"] },
  ],
  "app/staff/systems/actions.ts#addSystemAction": [{ caller: "admin", valid: () => ({ name: "CRM", kind: "manual" }), text: ["name"] }],
  "app/staff/systems/actions.ts#toggleSystemAction": [{ caller: "admin", valid: () => ({ id: "1", active: "no" }), text: [] }],
  "app/staff/systems/actions.ts#newSecretAction": [{ caller: "admin", valid: () => ({ id: "999999" }), text: [] }],
  // Every typed field is checked before Rightsdesk tries to connect anywhere.
  "app/staff/systems/connected-actions.ts#saveConnectedSystemAction": [
    {
      caller: "admin",
      valid: () => ({ name: "CRM", kind: "postgres", host: "db.example.org", port: "5432", database: "crm", user: "rightsdesk", password: "secret", map: "version: 1" }),
      text: ["map", "name", "host", "database", "user", "password"],
    },
  ],
  "app/staff/systems/connected-actions.ts#testConnectionAction": [{ caller: "admin", valid: () => ({ id: "999999" }), text: [] }],
  "app/staff/systems/connected-actions.ts#previewAddressAction": [{ caller: "admin", valid: (w) => ({ id: "999999", email: w.email }), text: [], addresses: ["email"] }],
  "app/staff/settings/actions.ts#saveStatementAction": [
    {
      caller: "admin",
      valid: () => ({ purposes: "Campaigns.", recipients: "Nobody.", retention: "Six years.", sources: "You.", rights: "All of them.", donationRetentionYears: "6" }),
      text: ["purposes", "recipients", "retention", "sources", "rights"],
    },
  ],
  "app/staff/settings/actions.ts#saveOrgTextsAction": [
    {
      caller: "admin",
      valid: () => ({ language: "fr", text_orgName: "Fondation du Port", text_purposes: "Campagnes." }),
      text: ["text_orgName", "text_purposes", "text_recipients", "text_retention", "text_sources", "text_rights"],
    },
  ],
  // Two choices and nothing typed: an empty or malformed form is all there is to refuse.
  "app/staff/settings/actions.ts#saveApprovalPolicyAction": [{ caller: "admin", valid: () => ({ erasureApprovals: "one" }), text: [] }],
  "app/staff/requests/new/actions.ts#recordRequestAction": [
    {
      caller: "reviewer",
      valid: (w) => ({ channel: "phone", identityCheck: "Called back.", receivedOn: w.today, type: "concern", message: "Why?", email: w.email }),
      text: ["identityCheck", "message", "name", "limitOverride", "receivedOn"],
      addresses: ["email"],
    },
  ],
  "app/staff/api/actions.ts#createKeyAction": [
    { caller: "admin", valid: () => ({ name: "CRM", scope_read_requests: "yes", ratePerMinute: "60" }), text: ["name"] },
  ],
  "app/staff/api/actions.ts#revokeKeyAction": [{ caller: "admin", valid: () => ({ id: "1" }), text: [] }],
  "app/staff/api/actions.ts#createSubscriptionAction": [
    { caller: "admin", valid: () => ({ name: "Chat", url: "https://chat.example.org/hook", "kind_request.received": "yes" }), text: ["name"] },
  ],
  "app/staff/api/actions.ts#toggleSubscriptionAction": [{ caller: "admin", valid: () => ({ id: "1", active: "no" }), text: [] }],
  "app/staff/api/actions.ts#replayDeliveryAction": [{ caller: "admin", valid: () => ({ id: "1" }), text: [] }],
  "app/staff/api/actions.ts#replayFailedAction": [{ caller: "admin", valid: () => ({ id: "1" }), text: [] }],
  "app/staff/api/actions.ts#saveBusinessAction": [
    {
      caller: "admin",
      valid: () => ({ businessId: "HARBOUR_TRUST", technicalContact: "tech@example.org", businessContact: "privacy@example.org" }),
      text: [],
      addresses: ["technicalContact", "businessContact"],
    },
  ],
  "app/staff/api/actions.ts#registerAgentAction": [
    {
      caller: "admin",
      valid: () => ({ id: "SWEEP_AGENT", name: "Sweep Agent", verifyKey: Buffer.alloc(32, 9).toString("base64") }),
      text: ["name"],
      addresses: ["contact"],
    },
  ],
  "app/staff/api/actions.ts#toggleAgentAction": [{ caller: "admin", valid: () => ({ id: "SWEEP_AGENT", enabled: "no" }), text: [] }],
  "app/staff/api/actions.ts#setAgentSiteAction": [{ caller: "admin", valid: () => ({ id: "SWEEP_AGENT", webUrl: "https://agent.example" }), text: [] }],
  // Staff accounts: each form names a session, a passkey or a member in a hidden field; nothing is typed but a reason.
  "app/staff/account/actions.ts#endSessionAction": [{ caller: "reviewer", valid: () => ({ handle: "0".repeat(32) }), text: [] }],
  "app/staff/account/actions.ts#endOtherSessionsAction": [{ caller: "reviewer", valid: () => ({ which: "others" }), text: [] }],
  "app/staff/account/actions.ts#removePasskeyAction": [{ caller: "reviewer", valid: () => ({ id: "999999" }), text: [] }],
  "app/staff/team/actions.ts#endMemberSessionAction": [{ caller: "admin", valid: (w) => ({ email: w.email, handle: "0".repeat(32) }), text: [], addresses: ["email"] }],
  "app/staff/team/actions.ts#resetPasskeysAction": [{ caller: "admin", valid: (w) => ({ email: w.email }), text: [], addresses: ["email"] }],
  "app/staff/settings/actions.ts#savePasskeyPolicyAction": [{ caller: "admin", valid: () => ({ passkeys: "optional" }), text: [] }],
  // Possible duplicates: the other request in a hidden field, and for keeping both an optional reason.
  "app/staff/requests/[ref]/actions.ts#mergeDuplicateAction": [{ caller: "reviewer", valid: (w) => ({ reference: w.targetRef, version: w.version, other: w.ownRef }), text: [] }],
  "app/staff/requests/[ref]/actions.ts#keepBothAction": [
    { caller: "reviewer", valid: (w) => ({ reference: w.targetRef, version: w.version, other: w.ownRef, reason: "Both stand." }), text: ["reason"] },
  ],
  // The queue's bulk form: one reason for every request, and the rows ticked.
  "app/staff/bulk/actions.ts#bulkAction": [
    { caller: "reviewer", valid: (w) => ({ action: "refuse", scope: "selected", [`r:${w.targetRef}`]: "on", reason: "Not ours." }), text: ["reason"] },
    { caller: "reviewer", valid: (w) => ({ action: "assign", scope: "selected", [`r:${w.targetRef}`]: "on", assignee: "" }), text: [], addresses: ["assignee"] },
  ],
};
const NO_INPUT = new Set(["app/(public)/signin/actions.ts#signOut"]);

const MEGABYTE = 1024 * 1024;
const DEEP = `${"[".repeat(5000)}${"]".repeat(5000)}`;

/** No row anywhere holds the marker: nothing that was sent was stored. */
function storedAnywhere(marker: string): number {
  const like = `%${marker}%`;
  return (
    countRows("requests", "details like ? or subject_email like ? or coalesce(subject_name, '') like ? or coalesce(identity_check, '') like ?", like, like, like, like) +
    countRows("request_drafts", "email like ? or coalesce(name, '') like ? or details like ?", like, like, like) +
    countRows("request_events", "coalesce(note, '') like ?", like) +
    countRows("mail_outbox", "to_address like ? or text_body like ?", like, like) +
    countRows("verification_tokens", "identifier like ?", like) +
    countRows("supporters", "email like ? or coalesce(name, '') like ?", like, like) +
    countRows("org_statement", "purposes || recipients || retention || sources || rights like ?", like) +
    countRows("org_texts", "coalesce(org_name, '') || coalesce(purposes, '') || coalesce(recipients, '') || coalesce(retention, '') || coalesce(sources, '') || coalesce(rights, '') like ?", like) +
    countRows("external_systems", "name like ?", like) +
    countRows("correction_decisions", "coalesce(note, '') like ?", like) +
    countRows("api_keys", "name like ?", like) +
    countRows("api_subscriptions", "name like ? or url like ?", like, like) +
    countRows("drp_agents", "id like ? or name like ? or coalesce(technical_contact, '') like ?", like, like, like) +
    countRows("drp_business", "business_id || technical_contact || business_contact like ?", like)
  );
}

/** A refusal: a 4xx with a sentence, or the form's own answer with a specific message, and never a 500. */
function expectSpecificRefusal(answer: ActionAnswer, what: string, field?: string, pattern?: RegExp): void {
  expect(answer.status, what).toBeLessThan(500);
  if (answer.status >= 400) {
    expect((JSON.parse(answer.body) as { error?: string }).error, what).toMatch(/\w+ .*\./);
    return;
  }
  expect(answer.status, what).toBe(200);
  expect(answer.redirect, what).toBeNull();
  expect(answer.state?.ok, what).toBe(false);
  if (field) {
    const message = answer.state?.fieldErrors?.[field];
    expect(message, `${what}: a message on ${field}, got ${JSON.stringify(answer.state?.fieldErrors)}`).toBeTruthy();
    if (pattern) expect(message, what).toMatch(pattern);
  } else {
    expect(answer.state?.message ?? Object.values(answer.state?.fieldErrors ?? {})[0], what).toBeTruthy();
  }
}

test("every form answers bad input with a specific message, never a 500, and stores nothing", async ({ browser, uniqueEmail }) => {
  test.setTimeout(240_000);
  const routes = appRoutes();
  expect(Object.keys(FORMS).length + NO_INPUT.size).toBe(routes.actions.length);
  for (const action of routes.actions) expect(Object.keys(FORMS).includes(action) || NO_INPUT.has(action), `${action} has bad-input cases`).toBe(true);

  const supporterPage = await (await browser.newContext()).newPage();
  const { reference: ownRef } = await fileAndConfirm(supporterPage, { type: "access", email: uniqueEmail });
  const targetPage = await (await browser.newContext()).newPage();
  const { reference: targetRef } = await fileAndConfirm(targetPage, { type: "access", email: `target-${uniqueEmail}` });
  const reviewerPage = await signedInPage(browser, "staff@example.org");
  const adminPage = await signedInPage(browser, "admin@example.org");
  const requests: Record<Caller, APIRequestContext> = {
    anonymous: (await browser.newContext()).request,
    supporter: supporterPage.request,
    reviewer: reviewerPage.request,
    admin: adminPage.request,
  };
  const targetState = () => queryDatabase<{ status: string; version: number }>("select status, version from requests where reference = ?", targetRef)[0];
  const before = targetState();

  for (const [key, specs] of Object.entries(FORMS)) {
    const [file = "", name = ""] = key.split("#");
    const action = builtAction(file, name);
    for (const spec of specs) {
      const marker = `mark${randomBytes(5).toString("hex")}`;
      const world: World = {
        ownRef,
        targetRef,
        version: String(before?.version ?? 1),
        email: `${marker}@example.org`,
        today: new Date().toISOString().slice(0, 10),
      };
      const request = requests[spec.caller];
      const params = { ref: spec.caller === "supporter" ? ownRef : targetRef };
      const send = (fields: Record<string, string>) => callAction(request, action, fields, { params });
      const valid = spec.valid(world);

      expectSpecificRefusal(await send({}), `${key}: empty form`);
      // 1 MB in one field of each form (the same field checks serve them all), 20 kB (over every field's own maximum) in the rest.
      const oversized = (i: number) => (i === 0 ? MEGABYTE : 20_000);
      for (const [i, field] of spec.text.entries()) {
        expectSpecificRefusal(
          await send({ ...valid, [field]: `${marker}${"x".repeat(oversized(i))}` }),
          `${key}: ${oversized(i)} characters in ${field}`,
          field,
          /characters or fewer|not a request reference|version|real date/,
        );
        expectSpecificRefusal(
          await send({ ...valid, [field]: `${marker} ring\u0007bell` }),
          `${key}: control character in ${field}`,
          field,
          /control characters|not a request reference|version|real date/,
        );
      }
      for (const [i, field] of (spec.addresses ?? []).entries()) {
        expectSpecificRefusal(
          await send({ ...valid, [field]: `${marker}@example.org\r\nBcc: victim-${marker}@example.org` }),
          `${key}: CRLF in ${field}`,
          field,
          /must be a valid address/,
        );
        const length = spec.text.length === 0 ? oversized(i) : 20_000;
        expectSpecificRefusal(
          await send({ ...valid, [field]: `${marker}${"y".repeat(length)}@example.org` }),
          `${key}: ${length} characters of address in ${field}`,
          field,
          /254 characters or fewer/,
        );
      }
      // Not a form at all: malformed JSON, and arguments of the wrong types.
      const raw = (contentType: string, data: string) => callAction(request, action, {}, { params, rawBody: { contentType, data } });
      for (const [label, answer] of [
        ["malformed JSON", await raw("text/plain;charset=UTF-8", `[null, {"${marker}":`)],
        ["JSON without a form", await raw("text/plain;charset=UTF-8", `[null, "${marker}"]`)],
        ["a form whose arguments are broken", await raw("multipart/form-data; boundary=b", `--b\r\nContent-Disposition: form-data; name="0"\r\n\r\n[null,{"${marker}\r\n--b--\r\n`)],
        ["a form whose arguments are the wrong types", await raw("multipart/form-data; boundary=b", `--b\r\nContent-Disposition: form-data; name="0"\r\n\r\n[null,5]\r\n--b--\r\n`)],
        // Nested 5,000 deep: whatever walks such a value (the proxy's check, Next's decoder) runs out of stack.
        ["an argument nested 5,000 deep", await raw("multipart/form-data; boundary=b", `--b\r\nContent-Disposition: form-data; name="0"\r\n\r\n[${DEEP}]\r\n--b--\r\n`)],
        ["an argument nested 5,000 deep before the form", await raw("multipart/form-data; boundary=b", `--b\r\nContent-Disposition: form-data; name="0"\r\n\r\n[${DEEP},"$K1"]\r\n--b--\r\n`)],
        // A file where the state belongs: React's decoder found no file there and failed with a 500.
        ["a file reference that names no file", await raw("multipart/form-data; boundary=b", `--b\r\nContent-Disposition: form-data; name="0"\r\n\r\n["$B1","$K1"]\r\n--b--\r\n`)],
      ] as const) {
        expect(answer.status, `${key}: ${label}`).toBe(400);
        expect(JSON.parse(answer.body), `${key}: ${label}`).toEqual({
          error: "This form arrived in a shape we do not understand. Please reload the page and try again.",
        });
      }
      expect(storedAnywhere(marker), `${key}: nothing stored`).toBe(0);
    }
  }
  expect(targetState()).toEqual(before);
  // No mail went to an address smuggled into a header.
  expect(countRows("mail_outbox", "to_address like '%victim-%' or to_address like '%\r%' or to_address like '%\n%'")).toBe(0);
});

test("route handlers answer bad input with a 4xx or a safe redirect, never a 500, and no header can be injected", async ({ request, browser }) => {
  const base = process.env.E2E_BASE_URL ?? "";
  const handlerPatterns = appRoutes().handlers.map((h) => h.pattern).sort();
  expect(handlerPatterns).toEqual([
    "/.well-known/gpc.json",
    "/.well-known/rightsdesk-receipt-key.pem",
    "/api/auth/[...nextauth]",
    "/api/health",
    "/api/receipts/public-key",
    "/api/v1/[...path]",
    "/api/v1/events",
    "/api/v1/filings/[intake_id]",
    "/api/v1/openapi.json",
    "/api/v1/requests",
    "/api/v1/requests/[reference]",
    "/bench/empty",
    "/language",
    "/preferences/new-link",
    "/preferences/save",
    "/privacy-signal",
    "/requests/[ref]/export/html",
    "/requests/[ref]/export/json",
    "/requests/confirm/submit",
    "/signin/link/follow",
    "/signin/passkey/authenticate",
    "/signin/passkey/register",
    "/staff/reports/chart.svg",
    "/staff/reports/choices.csv",
    "/staff/reports/events.csv",
    "/staff/reports/requests.csv",
    "/staff/requests/[ref]/export/preview",
    "/staff/requests/[ref]/export/sent",
    "/unsubscribe/[token]",
    "/v1/[...path]",
    "/v1/agent/[agentId]",
    "/v1/data-rights-request",
    "/v1/data-rights-request/[requestId]",
  ]);
  // The methods the portal says each address where other programs call takes (its 405s and their Allow) are the handlers' own.
  const programHandlers = appRoutes().handlers.filter((h) => h.pattern.startsWith("/api/v1/") || h.pattern.startsWith("/v1/"));
  expect(Object.fromEntries(PROGRAM_ADDRESSES.map((a) => [a.pattern, [...a.methods].sort()]))).toEqual(Object.fromEntries(programHandlers.map((h) => [h.pattern, h.methods])));

  // A link (from an old email) whose address tries to add a header: sent on to the link page, encoded.
  const crlf = await request.get(`/api/auth/callback/email?token=${"a".repeat(64)}&email=x%0D%0ASet-Cookie:%20injected=1&callbackUrl=%0D%0ALocation:%20https://evil.example`, { maxRedirects: 0 });
  expect(crlf.status()).toBe(303);
  const injected = (response: { headersArray(): Array<{ name: string; value: string }> }) =>
    response.headersArray().some((h) => (h.name.toLowerCase() === "set-cookie" && h.value.startsWith("injected")) || /[\r\n]/.test(h.value));
  expect(crlf.headers().location).toBe(`${base}/signin/link?token=${"a".repeat(64)}&email=x%0D%0ASet-Cookie%3A+injected%3D1&next=%2Frequests`);
  expect(injected(crlf)).toBe(false);
  // The link page says such a link is not complete, and offers no button.
  const page = await request.get(crlf.headers().location ?? "");
  expect(page.status()).toBe(200);
  expect(await page.text()).toContain("This link is not complete");
  const draft = await request.get("/requests/confirm?draft=%0D%0ASet-Cookie:%20injected=1", { maxRedirects: 0 });
  expect(draft.status()).toBe(307);
  expect(injected(draft)).toBe(false);
  expect(draft.headers().location).toContain("/signin?next=%2Frequests%2Fconfirm");

  // The CSV downloads take no input; odd query strings and methods change nothing and never fail.
  for (const path of ["/staff/reports/requests.csv?months=%00%0D%0A", "/staff/reports/events.csv?x=" + "q".repeat(10_000), "/staff/reports/choices.csv?x=%0D%0ASet-Cookie:%20injected=1"]) {
    const answer = await request.get(path, { maxRedirects: 0 });
    expect(answer.status(), path).toBe(307);
    expect(injected(answer), path).toBe(false);
  }
  expect((await request.post("/staff/reports/requests.csv", { headers: { origin: base }, data: "x" })).status()).toBe(405);

  // The reports' chart takes a period and a size: without a session, odd ones still only send to sign in; to staff, a
  // size it does not have is a 400 with the sentence, and a period it does not offer gets the page's default.
  const chartPaths = ["/staff/reports/chart.svg?size=%00%0D%0ASet-Cookie:%20injected=1", "/staff/reports/chart.svg?months=" + "9".repeat(10_000)];
  for (const path of chartPaths) {
    const answer = await request.get(path, { maxRedirects: 0 });
    expect(answer.status(), path).toBe(307);
    expect(injected(answer), path).toBe(false);
  }
  const staff = (await signedInPage(browser, "staff@example.org")).request;
  for (const size of ["%00%0D%0ASet-Cookie:%20injected=1", "__proto__", "constructor", "WIDE", ""]) {
    const answer = await staff.get(`/staff/reports/chart.svg?size=${size}`, { maxRedirects: 0 });
    expect(answer.status(), size).toBe(400);
    expect(await answer.text(), size).toBe("The chart comes in two sizes: size=wide or size=narrow.\n");
    expect(injected(answer), size).toBe(false);
  }
  for (const months of ["%00", "-12", "1e1", "9".repeat(10_000)]) {
    const answer = await staff.get(`/staff/reports/chart.svg?months=${months}`, { maxRedirects: 0 });
    expect(answer.status(), months).toBe(200);
    expect(await answer.text(), months).toMatch(/in the 12 months from /i);
  }
  expect((await staff.post("/staff/reports/chart.svg", { headers: { origin: base }, data: "x" })).status()).toBe(405);

  // The benchmark's empty route takes no input and is not served here (no BENCH_ROUTES=1): odd queries and methods get 404 or 405.
  const bench = await request.get("/bench/empty?x=%00%0D%0ASet-Cookie:%20injected=1", { maxRedirects: 0 });
  expect(bench.status()).toBe(404);
  expect(injected(bench)).toBe(false);
  expect((await request.post("/bench/empty", { headers: { origin: base }, data: "x" })).status()).toBe(405);

  // An oversized link: refused by the HTTP server before any code runs, either with a 4xx answer or by closing the
  // connection while the request is still being sent. Any other failure (a timeout, say) fails the test.
  const huge = await request.get(`/api/auth/callback/email?token=${"a".repeat(MEGABYTE)}`, { maxRedirects: 0 }).then(
    (response) => ({ status: response.status(), error: null }),
    (error: unknown) => ({ status: null, error: error instanceof Error ? error.message : String(error) }),
  );
  if (huge.status === null) {
    expect(huge.error, "the oversized link's connection").toMatch(/ECONNRESET|ECONNREFUSED|EPIPE|socket hang up/);
  } else {
    expect(huge.status, "the oversized link's status").toBeGreaterThanOrEqual(400);
    expect(huge.status, "the oversized link's status").toBeLessThan(500);
  }

  // The passkey ceremonies take JSON: garbage, or no session, is a 4xx with a sentence.
  for (const path of ["/signin/passkey/register", "/signin/passkey/authenticate"]) {
    const answer = await request.post(path, { headers: { origin: base, "content-type": "application/json" }, data: '{"step":', maxRedirects: 0 });
    expect(answer.status(), path).toBe(401);
    expect((await answer.json()).error, path).toBe("Your session has ended. Please sign in again.");
  }

  // Posts to the auth route: from elsewhere, without saying where from, too large, or malformed.
  const post = (headers: Record<string, string>, data: string) =>
    request.post("/api/auth/signout", { headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, data, maxRedirects: 0 });
  const foreign = await post({ origin: "https://evil.example" }, "csrfToken=x");
  expect(foreign.status()).toBe(403);
  expect((await foreign.json()).error).toContain("did not come from this site's own pages");
  expect((await post({}, "csrfToken=x")).status()).toBe(403);
  const large = await post({ origin: base }, `csrfToken=${"z".repeat(70 * 1024)}`);
  expect(large.status()).toBe(413);
  expect((await large.json()).error).toBe("This request is too large: at most 64 KB may be sent.");
  for (const data of ["%%%", "{\"json\": ", "csrfToken=\u0000\r\n"]) {
    const malformed = await post({ origin: base }, data);
    expect(malformed.status(), data).toBeLessThan(500);
  }
  // The public key takes no input: odd queries change nothing, and it has no other method.
  for (const path of ["/.well-known/rightsdesk-receipt-key.pem", "/api/receipts/public-key"]) {
    const odd = await request.get(`${path}?x=%00%0D%0ASet-Cookie:%20injected=1`, { maxRedirects: 0 });
    expect(odd.status(), path).toBe(200);
    expect(injected(odd), path).toBe(false);
    expect((await request.post(path, { headers: { origin: base }, data: "x" })).status(), path).toBe(405);
  }
  // Methods a route does not have.
  expect((await request.post("/api/health", { headers: { origin: base }, data: "{" })).status()).toBe(405);
  expect((await request.post("/api/auth/signin/email", { headers: { origin: base }, data: "email=a%40example.org" })).status()).toBe(404);
  expect((await request.delete("/requests/confirm/submit", { headers: { origin: base } })).status()).toBe(405);
  expect((await request.get("/signin/link/follow", { maxRedirects: 0 })).status()).toBe(405);
  // The export downloads: an odd reference or method never fails (signed-in callers are in access.spec.ts).
  for (const path of ["/requests/RD-0000-0000%0D%0ASet-Cookie:x=1/export/html"]) {
    const answer = await request.get(path, { maxRedirects: 0 });
    expect(answer.status(), path).toBe(307);
    expect(injected(answer), path).toBe(false);
  }
  expect((await request.post("/requests/RD-0000-0000/export/json", { headers: { origin: base }, data: "x", maxRedirects: 0 })).status()).toBe(405);
  // Staff's look at an export: an odd reference, body or method never fails, and a GET changes nothing (there is none).
  for (const ref of ["%E0%A4%A", "RD-0000-0000%0D%0ASet-Cookie:x=1", "x".repeat(2000)]) {
    for (const look of ["preview", "sent"]) {
      const path = `/staff/requests/${ref}/export/${look}`;
      const answer = await request.post(path, { headers: { origin: base }, form: { x: "\u0000\r\n" }, maxRedirects: 0 });
      expect(answer.status(), path).toBeLessThan(500);
      expect(injected(answer), path).toBe(false);
      expect((await request.get(path, { maxRedirects: 0 })).status(), `GET ${path}`).not.toBe(200);
    }
  }
  expect((await request.post("/staff/requests/RD-0000-0000/export/preview", { data: "x", maxRedirects: 0 })).status()).toBe(403);

  // The link page's button: not a form, from elsewhere, too large, or a link that says nothing, is a 4xx with a sentence
  // or the failed-link page; a destination off the site, or one that would split a header, leads to the default.
  const follow = (data: string, headers: Record<string, string> = { origin: base }) =>
    request.post("/signin/link/follow", { headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, data, maxRedirects: 0 });
  const foreignFollow = await follow(`token=${"a".repeat(64)}&email=a%40example.org`, { origin: "https://evil.example" });
  expect(foreignFollow.status()).toBe(403);
  expect((await foreignFollow.json()).error).toContain("did not come from this site's own pages");
  expect((await follow("token=x")).headers().location).toBe(`${base}/signin/error?error=Verification&link=invalid`);
  expect((await follow(`token=${"z".repeat(70 * 1024)}`)).status()).toBe(413);
  for (const data of ["%%%", "token=%00%0D%0A&email=%0D%0ASet-Cookie:%20injected=1&next=%0D%0ALocation:%20https://evil.example", "next=//evil.example"]) {
    const answer = await follow(data);
    expect(answer.status(), data).toBe(303);
    expect(answer.headers().location, data).toBe(`${base}/signin/error?error=Verification&link=invalid`);
    expect(injected(answer), data).toBe(false);
  }
  const notAForm = await request.post("/signin/link/follow", { headers: { origin: base, "content-type": "multipart/form-data; boundary=b" }, data: "--b\r\nbroken", maxRedirects: 0 });
  expect(notAForm.status()).toBe(400);
  expect((await notAForm.json()).error).toBe("This form arrived in a shape we do not understand. Please reload the page and try again.");
  // The confirm page's button: the same checks, and without a session only "sign in first".
  const confirm = (data: string, headers: Record<string, string> = { origin: base }) =>
    request.post("/requests/confirm/submit", { headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, data, maxRedirects: 0 });
  expect((await confirm("draft=abcdefghijkl", { origin: "https://evil.example" })).status()).toBe(403);
  for (const data of ["draft=%0D%0ASet-Cookie:%20injected=1", "draft=abcdefghijkl", "%%%", ""]) {
    const answer = await confirm(data);
    expect(answer.status(), data).toBe(303);
    expect(answer.headers().location, data).toMatch(/\/signin\?next=%2Frequests/);
    expect(injected(answer), data).toBe(false);
  }

  // Other programs' routes: whatever is sent, JSON in their own shape and never a 500, and no header can be injected.
  // (Bad bodies and parameters from a caller with a key are in lib/api/api.test.ts and e2e/api.spec.ts.)
  const oversizedApi = await request.post("/api/v1/requests", { headers: { "content-type": "application/json" }, data: `{"x":"${"z".repeat(70 * 1024)}"}` });
  expect(oversizedApi.status()).toBe(413);
  expect(await oversizedApi.json()).toEqual({ error: { code: "too_large", message: "This request is too large: at most 64 KB may be sent." } });
  const oversizedDrp = await request.post("/v1/data-rights-request", { headers: { "content-type": "text/plain" }, data: "z".repeat(70 * 1024) });
  expect(oversizedDrp.status()).toBe(413);
  expect(await oversizedDrp.json()).toEqual({ code: "413", message: "This request is too large: at most 64 KB may be sent." });
  for (const path of ["/api/v1/requests?q=%00%0D%0ASet-Cookie:%20injected=1", "/api/v1/requests/RD-0000-0000%0D%0ASet-Cookie:x=1", "/api/v1/%E0%A4%A", "/v1/data-rights-request/%0D%0A", "/v1/agent/%00"]) {
    const answer = await request.get(path, { maxRedirects: 0 });
    expect(answer.status(), path).toBeGreaterThanOrEqual(400);
    expect(answer.status(), path).toBeLessThan(500);
    expect(injected(answer), path).toBe(false);
    // A page (for an address that cannot be decoded, the proxy's page) or JSON: each one complete.
    expect((await answer.text()).length, path).toBeGreaterThan(0);
  }
  for (const data of ["%%%", "{\"json\": ", "\u0000\r\n", ""]) {
    const api = await request.post("/api/v1/requests", { headers: { "content-type": "application/json", authorization: "Bearer rdk_made-up" }, data });
    expect(api.status(), data).toBe(401);
    const drp = await request.post("/v1/agent/SOME_AGENT", { headers: { "content-type": "text/plain" }, data });
    expect(drp.status(), data).toBe(403);
  }
  // A method an address of theirs does not take: 405 with Allow, and the refusal in their own shape.
  const put = await request.put("/api/v1/requests", { data: "{}" });
  expect([put.status(), put.headers().allow, await put.json()]).toEqual([
    405,
    "GET, POST, HEAD",
    { error: { code: "method_not_allowed", message: "This address does not take PUT requests: it takes GET, POST, HEAD." } },
  ]);
  const getExercise = await request.get("/v1/data-rights-request");
  expect([getExercise.status(), getExercise.headers().allow, await getExercise.json()]).toEqual([
    405,
    "POST",
    { code: "405", message: "This address does not take GET requests: it takes POST." },
  ]);
  // An address under /v1 that is none of the protocol's (an agent's api_base with a path too many): DRP's error in JSON, not a page.
  const unknownDrp = await request.post("/v1/v1/data-rights-request", { headers: { "content-type": "text/plain" }, data: "c2lnbmVk" });
  expect([unknownDrp.status(), unknownDrp.headers()["content-type"], (await unknownDrp.json()).code]).toEqual([404, "application/json", "404"]);

  // The one-click unsubscribe address: a forged, malformed or oversized token, or a wrong body, is a 400 with a sentence.
  const oneClick = (token: string, form: Record<string, string> = { "List-Unsubscribe": "One-Click" }) =>
    request.post(`/unsubscribe/${token}`, { form, maxRedirects: 0 });
  for (const token of ["made.up", "a.b.c", "%00%0D%0ASet-Cookie:x=1", "e30.AAAA"]) {
    const answer = await oneClick(token);
    expect(answer.status(), token).toBe(400);
    expect(await answer.text(), token).toBe("This unsubscribe link is not valid.");
    expect(injected(answer), token).toBe(false);
  }
  expect(await (await oneClick("made.up", { "List-Unsubscribe": "Two-Clicks" })).text()).toBe("Expected the body List-Unsubscribe=One-Click.");
  expect((await request.post("/unsubscribe/made.up", { data: "x".repeat(70 * 1024), maxRedirects: 0 })).status()).toBe(413);
  const scanned = await request.get("/unsubscribe/%0D%0ASet-Cookie:%20injected=1", { maxRedirects: 0 });
  expect(scanned.status()).toBe(303);
  expect(injected(scanned)).toBe(false);

  // The preference page's buttons: from elsewhere, too large, a token that is not ours, a malformed form or a header
  // smuggled into a field is a 4xx with a sentence, or the page again saying what is wrong; never a 500.
  const prefs = (path: string, data: string, headers: Record<string, string> = { origin: base }) =>
    request.post(path, { headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, data, maxRedirects: 0 });
  for (const path of ["/preferences/save", "/preferences/new-link", "/privacy-signal"]) {
    const foreignPost = await prefs(path, "token=a.b", { origin: "https://evil.example" });
    expect(foreignPost.status(), path).toBe(403);
    expect((await foreignPost.json()).error, path).toContain("did not come from this site's own pages");
    expect((await prefs(path, `token=${"z".repeat(70 * 1024)}`)).status(), path).toBe(413);
    for (const data of ["%%%", "token=%00%0D%0ASet-Cookie:%20injected=1&shown=%0D%0A", "back=//evil.example", "token=e30.AAAA&list=x&none=2"]) {
      const answer = await prefs(path, data);
      expect(answer.status(), `${path} ${data}`).toBe(303);
      expect(answer.headers().location, `${path} ${data}`).toMatch(new RegExp(`^${base}/(preferences/|signin\\?next=%2Frequests)`));
      expect(injected(answer), `${path} ${data}`).toBe(false);
    }
  }
  expect((await request.get("/preferences/save", { maxRedirects: 0 })).status()).not.toBe(500);
  for (const token of ["made.up", "%00%0D%0ASet-Cookie:x=1", "x".repeat(5000), "e30.AAAA"]) {
    const shown = await request.get(`/preferences/${token}`, { maxRedirects: 0 });
    expect(shown.status(), token).toBe(200);
    expect(await shown.text(), token).toContain("This link does not work");
    expect(injected(shown), token).toBe(false);
  }
  const gpc = await request.get("/.well-known/gpc.json?x=%0D%0ASet-Cookie:%20injected=1");
  expect(gpc.status()).toBe(200);
  expect(injected(gpc)).toBe(false);
});

test("an address with a broken %-escape in its path is a 400 with a sentence, for every caller and method, never a 500", async ({ browser, request, uniqueEmail }) => {
  const base = process.env.E2E_BASE_URL ?? "";
  const { reference } = await fileAndConfirm(await (await browser.newContext()).newPage(), { type: "access", email: uniqueEmail });
  const callers: Record<string, APIRequestContext> = {
    anonymous: request,
    supporter: (await signedInPage(browser, uniqueEmail)).request,
    reviewer: (await signedInPage(browser, "staff@example.org")).request,
  };
  const SENTENCE = "This address is not valid: part of it is wrongly encoded. Please check the link and try again.";
  const paths = [
    "/unsubscribe/%ff",
    "/api/auth/%ff",
    "/requests/%ff",
    "/staff/requests/%ff",
    "/requests/%ff/export/json",
    "/requests/%ff/export/html",
    `/requests/${reference}/export/%ff`,
    "/requests/%E0%A4%A/export/json",
    "/signin/link/%ff",
    "/preferences/%ff",
  ];
  for (const [caller, api] of Object.entries(callers)) {
    for (const path of paths) {
      const what = `${caller} ${path}`;
      const json = await api.get(path, { maxRedirects: 0 });
      expect(json.status(), what).toBe(400);
      expect(await json.json(), what).toEqual({ error: SENTENCE });
      const page = await api.get(path, { maxRedirects: 0, headers: { accept: "text/html" } });
      expect(page.status(), what).toBe(400);
      expect(await page.text(), what).toContain(SENTENCE);
      const posted = await api.post(path, { maxRedirects: 0, headers: { origin: base }, form: { "List-Unsubscribe": "One-Click" } });
      expect(posted.status(), what).toBe(400);
    }
  }
});

test("a destination that is not plain ASCII (\"/。evil.test\") signs in and stays on this site, never a 500", async ({ page, uniqueEmail }) => {
  const answer = await callAction(page.request, builtAction("app/(public)/signin/actions.ts", "requestSignInLink"), { email: uniqueEmail, next: "/。evil.test" });
  expect(answer.redirect).toBe("/signin/check-inbox");
  const link = new URL(signInLink(await waitForMail({ to: uniqueEmail, subject: /^Your sign-in link/ })));
  expect(link.searchParams.get("next")).toBe("/%E3%80%82evil.test");
  await followLink(page, link.toString());
  // A path on this site that does not exist: the portal's own "not found", signed in.
  const landed = new URL(page.url());
  expect(landed.origin).toBe(process.env.E2E_BASE_URL);
  expect(landed.pathname).toBe("/%E3%80%82evil.test");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  expect((await page.request.get("/requests", { maxRedirects: 0 })).status()).toBe(200);
});

test("HTML typed into any text field is shown as text on every page and escaped in every mail", async ({ page, browser, uniqueEmail }) => {
  test.setTimeout(120_000);
  const hostile = (field: string) => `<script>window.__pwned="${field}"</script><img src=x onerror="window.__pwned='${field}'"><b>${field}</b>`;
  let dialogs = 0;
  page.on("dialog", (d) => {
    dialogs++;
    void d.dismiss();
  });
  // The supporter's fields.
  await page.goto("/new?type=correction");
  await page.getByLabel("New name").fill(hostile("correct_name"));
  await page.getByLabel("New postal address").fill(hostile("correct_postalAddress"));
  await page.getByLabel("Anything else you want to tell us (optional)").fill(hostile("note"));
  await page.getByLabel("Your name (optional)").fill(hostile("name"));
  await page.getByLabel("Your email address").fill(uniqueEmail);
  const since = Date.now();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  await followLink(page, signInLink(await waitForMail({ to: uniqueEmail, subject: /^Confirm your request/, since })));
  const reference = REFERENCE.exec(page.url())?.[0] ?? "";

  // Staff's fields: a question (emailed), then the supporter's answer, a note, a refusal (emailed).
  const reviewer = await signedInPage(browser, "staff@example.org");
  reviewer.on("dialog", (d) => {
    dialogs++;
    void d.dismiss();
  });
  await reviewer.goto(`/staff/requests/${reference}`);
  await reviewer.getByRole("button", { name: "Start review" }).click();
  await reviewer.getByLabel("Question for the supporter").fill(hostile("question"));
  await reviewer.getByRole("button", { name: "Send question" }).click();
  await expect(reviewer.getByRole("status")).toContainText("Question sent");
  await page.goto(`/requests/${reference}`);
  await page.getByLabel("Your answer").fill(hostile("answer"));
  await page.getByRole("button", { name: "Send my answer" }).click();
  await expect(page.getByRole("status")).toContainText("we have your answer");
  await reviewer.goto(`/staff/requests/${reference}`);
  await reviewer.getByLabel("Note for staff").fill(hostile("staff note"));
  await reviewer.getByRole("button", { name: "Add note" }).click();
  await expect(reviewer.getByRole("status")).toHaveText("Internal note added.");
  await reviewer.getByLabel("Reason for refusing").fill(hostile("refusal reason"));
  await reviewer.getByRole("button", { name: "Refuse the request" }).click();
  await expect(reviewer.getByRole("status")).toContainText("Refused");

  for (const [viewer, path, fields] of [
    [page, `/requests/${reference}`, ["correct_name", "correct_postalAddress", "note", "question", "answer", "refusal reason"]],
    [reviewer, `/staff/requests/${reference}`, ["correct_name", "correct_postalAddress", "note", "name", "question", "answer", "staff note", "refusal reason"]],
  ] as const) {
    await viewer.goto(path);
    const main = viewer.locator("main");
    for (const field of fields) await expect(main, `${path}: ${field}`).toContainText(hostile(field));
    expect(await main.locator("script, img, b").count(), path).toBe(0);
    expect(await viewer.evaluate(() => (window as unknown as { __pwned?: string }).__pwned), path).toBeUndefined();
  }
  expect(dialogs).toBe(0);

  for (const subject of [/^We need something from you/, /^Our decision on your request/]) {
    const mail = await waitForMail({ to: uniqueEmail, subject, since });
    // The organisation's logo is the one image a message may hold; nothing typed becomes markup.
    expect(mail.html).not.toMatch(/<script|<img(?![^>]*logo\.png)|<b>/);
    expect(mail.html).toContain("&lt;script&gt;");
    expect(mail.subject).not.toContain("<");
  }
});

test("pages answer GET, HEAD and POST only: any other method gets 405 with Allow (TRACE was a 500, PUT and DELETE a page)", async ({ request }) => {
  const base = process.env.E2E_BASE_URL ?? "";
  for (const path of ["/", "/requests", "/staff", "/signin/link/follow", "/staff/reports/requests.csv"]) {
    for (const method of ["PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]) {
      const answer = await request.fetch(`${base}${path}`, { method, headers: { origin: base }, maxRedirects: 0 });
      expect(answer.status(), `${method} ${path}`).toBe(405);
      expect(answer.headers().allow, `${method} ${path}`).toBe("GET, HEAD, POST");
      expect(await answer.text(), `${method} ${path}`).toContain(`This address does not take ${method} requests`);
    }
  }
  // Where other programs call, the handlers still answer for their own methods: an agent's DELETE is theirs to judge.
  expect((await request.fetch(`${base}/v1/data-rights-request/nothing-here`, { method: "DELETE", maxRedirects: 0 })).status()).toBe(401);
  expect((await request.fetch(`${base}/api/v1/requests`, { method: "PUT", maxRedirects: 0 })).status()).toBe(405);
});

test("a form sent from the public address but reached under another host name (a proxy that does not pass Host on) is answered, not a 500", async ({ request, uniqueEmail }) => {
  const base = new URL(process.env.E2E_BASE_URL ?? "");
  const otherHost = `localhost:${base.port}`;
  const answer = await callAction(request, builtAction("app/(public)/signin/actions.ts", "requestSignInLink"), { email: uniqueEmail, next: "/requests" }, { headers: { host: otherHost } });
  expect(answer.status).toBeLessThan(400);
  expect(answer.redirect).toBe("/signin/check-inbox");
  await waitForMail({ to: uniqueEmail, subject: /^Your sign-in link/ });
  // A page of another origin is still refused, whatever host it names.
  const foreign = await callAction(request, builtAction("app/(public)/signin/actions.ts", "requestSignInLink"), { email: uniqueEmail, next: "/requests" }, { headers: { host: otherHost, origin: "https://evil.example" } });
  expect(foreign.status).toBe(403);
});
