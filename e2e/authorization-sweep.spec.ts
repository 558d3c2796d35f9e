/**
 * Every page, route handler and server action in app/, called with no
 * session, as a supporter, as a reviewer and as an auditor: each caller gets
 * only what they may see, and an auditor reads every staff page of requests
 * and reports and can call no action that changes anything. The routes are read from the app/ folder, so a new one without an
 * entry below fails this test until someone decides who may use it.
 */
import type { APIRequestContext } from "@playwright/test";
import { builtActions, callAction, type BuiltAction } from "./support/actions";
import { appRoutes } from "./support/app-routes";
import { expect, signedInPage, test } from "./support/fixtures";
import { countRows, fileAndConfirm, queryDatabase } from "./support/journeys";
import { addStaff } from "./support/server";

type Caller = "anonymous" | "supporter" | "reviewer" | "auditor";
const CALLERS: Caller[] = ["anonymous", "supporter", "reviewer", "auditor"];
const AUDITOR = "auditor@example.org";
const STAFF_CALLERS: ReadonlySet<Caller> = new Set(["reviewer", "auditor"]);

type World = {
  ownRef: string;
  otherRef: string;
  ownEmail: string;
  otherEmail: string;
};

/**
 * What a page may answer: the page itself, a redirect to sign in, the same
 * "not found" as a page that does not exist, or (for staff with no requests
 * of their own, whom signing in lands on /requests) a redirect to the queue.
 */
type PageOutcome = "shown" | "sign-in" | "not-found" | "staff-queue" | "own-requests";

const PAGES: Record<string, Array<{ path: (w: World) => string; expect: Record<Caller, PageOutcome> }>> = {
  "/": [{ path: () => "/", expect: { anonymous: "shown", supporter: "shown", reviewer: "shown", auditor: "shown" } }],
  "/new": [{ path: () => "/new?type=access", expect: { anonymous: "shown", supporter: "shown", reviewer: "shown", auditor: "shown" } }],
  "/signin": [{ path: () => "/signin", expect: { anonymous: "shown", supporter: "shown", reviewer: "shown", auditor: "shown" } }],
  // Checking a receipt needs no account: it reveals only what the receipt pasted already says.
  "/verify": [{ path: () => "/verify", expect: { anonymous: "shown", supporter: "shown", reviewer: "shown", auditor: "shown" } }],
  "/signin/check-inbox": [{ path: () => "/signin/check-inbox", expect: { anonymous: "shown", supporter: "shown", reviewer: "shown", auditor: "shown" } }],
  "/signin/error": [{ path: () => "/signin/error?error=Verification&link=used", expect: { anonymous: "shown", supporter: "shown", reviewer: "shown", auditor: "shown" } }],
  // Where emailed links land: a page with a button, for anyone holding a link; opening it spends nothing.
  "/signin/link": [
    {
      path: () => `/signin/link?token=${"0".repeat(64)}&email=someone%40example.org&next=%2Frequests`,
      expect: { anonymous: "shown", supporter: "shown", reviewer: "shown", auditor: "shown" },
    },
  ],
  // The passkey step after the emailed link: only a staff session waiting for its passkey stays; anyone else goes on.
  "/signin/passkey": [
    { path: () => "/signin/passkey?next=%2Fstaff", expect: { anonymous: "sign-in", supporter: "own-requests", reviewer: "staff-queue", auditor: "staff-queue" } },
  ],
  // A signed-in person's own draft, with a button; anyone else's draft is "not found" on the page itself.
  "/requests/confirm": [
    { path: () => "/requests/confirm?draft=someone-elses-draft-key", expect: { anonymous: "sign-in", supporter: "shown", reviewer: "shown", auditor: "shown" } },
  ],
    "/requests": [{ path: () => "/requests", expect: { anonymous: "sign-in", supporter: "shown", reviewer: "staff-queue", auditor: "staff-queue" } }],
  "/requests/[ref]": [
    { path: (w) => `/requests/${w.ownRef}`, expect: { anonymous: "sign-in", supporter: "shown", reviewer: "not-found", auditor: "not-found" } },
    { path: (w) => `/requests/${w.otherRef}`, expect: { anonymous: "sign-in", supporter: "not-found", reviewer: "not-found", auditor: "not-found" } },
  ],
  "/staff": [{ path: () => "/staff", expect: { anonymous: "sign-in", supporter: "not-found", reviewer: "shown", auditor: "shown" } }],
  "/staff/requests/[ref]": [
    { path: (w) => `/staff/requests/${w.otherRef}`, expect: { anonymous: "sign-in", supporter: "not-found", reviewer: "shown", auditor: "shown" } },
  ],
  // Recording a request changes the record: an auditor gets "not found", as for an admin's page.
  "/staff/requests/new": [{ path: () => "/staff/requests/new", expect: { anonymous: "sign-in", supporter: "not-found", reviewer: "shown", auditor: "not-found" } }],
  "/staff/reports": [{ path: () => "/staff/reports", expect: { anonymous: "sign-in", supporter: "not-found", reviewer: "shown", auditor: "shown" } }],
  // Actions on several requests: their record, for every staff member (an auditor too); a made-up one is "not found".
  "/staff/bulk": [{ path: () => "/staff/bulk", expect: { anonymous: "sign-in", supporter: "not-found", reviewer: "shown", auditor: "shown" } }],
  "/staff/bulk/[id]": [{ path: () => "/staff/bulk/999999", expect: { anonymous: "sign-in", supporter: "not-found", reviewer: "not-found", auditor: "not-found" } }],
  // Each staff member's own sessions (and passkeys), auditors too.
  "/staff/account": [{ path: () => "/staff/account", expect: { anonymous: "sign-in", supporter: "not-found", reviewer: "shown", auditor: "shown" } }],
  // Admins only: a reviewer gets the same "not found" as anyone else.
  "/staff/team": [{ path: () => "/staff/team", expect: { anonymous: "sign-in", supporter: "not-found", reviewer: "not-found", auditor: "not-found" } }],
  "/staff/mail": [{ path: () => "/staff/mail", expect: { anonymous: "sign-in", supporter: "not-found", reviewer: "not-found", auditor: "not-found" } }],
  "/staff/import": [{ path: () => "/staff/import", expect: { anonymous: "sign-in", supporter: "not-found", reviewer: "not-found", auditor: "not-found" } }],
  "/staff/settings": [{ path: () => "/staff/settings", expect: { anonymous: "sign-in", supporter: "not-found", reviewer: "not-found", auditor: "not-found" } }],
  "/staff/systems": [{ path: () => "/staff/systems", expect: { anonymous: "sign-in", supporter: "not-found", reviewer: "not-found", auditor: "not-found" } }],
  // Reached from the link in every email's footer, without signing in; a made-up token only says the link does not work.
  "/preferences/[token]": [{ path: () => "/preferences/made.up", expect: { anonymous: "shown", supporter: "shown", reviewer: "shown", auditor: "shown" } }],
  // The same choices, for whoever is signed in: their own address only.
  "/requests/preferences": [{ path: () => "/requests/preferences", expect: { anonymous: "sign-in", supporter: "shown", reviewer: "shown", auditor: "shown" } }],
  // Admins only: the words each mailing list is offered with.
  "/staff/lists": [{ path: () => "/staff/lists", expect: { anonymous: "sign-in", supporter: "not-found", reviewer: "not-found", auditor: "not-found" } }],
  "/staff/systems/connect": [{ path: () => "/staff/systems/connect", expect: { anonymous: "sign-in", supporter: "not-found", reviewer: "not-found", auditor: "not-found" } }],
  "/staff/systems/[id]": [{ path: () => "/staff/systems/1", expect: { anonymous: "sign-in", supporter: "not-found", reviewer: "not-found", auditor: "not-found" } }],
  // Reached from the link in every email, without signing in; a made-up token only says the link does not work.
  "/unsubscribe": [{ path: () => "/unsubscribe?token=made.up", expect: { anonymous: "shown", supporter: "shown", reviewer: "shown", auditor: "shown" } }],
  // The API's readable reference: for anyone, it describes the interface and names nobody.
  "/developers": [{ path: () => "/developers", expect: { anonymous: "shown", supporter: "shown", reviewer: "shown", auditor: "shown" } }],
  // Where an agent sends a person while their request waits: an id nobody holds is "not found" for everyone.
  "/agents/verify/[requestId]": [
    { path: () => "/agents/verify/00000000-0000-0000-0000-000000000000", expect: { anonymous: "not-found", supporter: "not-found", reviewer: "not-found", auditor: "not-found" } },
  ],
  "/staff/api": [{ path: () => "/staff/api", expect: { anonymous: "sign-in", supporter: "not-found", reviewer: "not-found", auditor: "not-found" } }],
  "/staff/api/subscriptions": [{ path: () => "/staff/api/subscriptions", expect: { anonymous: "sign-in", supporter: "not-found", reviewer: "not-found", auditor: "not-found" } }],
  "/staff/api/agents": [{ path: () => "/staff/api/agents", expect: { anonymous: "sign-in", supporter: "not-found", reviewer: "not-found", auditor: "not-found" } }],
  // The benchmark's comparison page exists only on a server started with BENCH_ROUTES=1, which this one is not.
  "/bench/trivial": [{ path: () => "/bench/trivial", expect: { anonymous: "not-found", supporter: "not-found", reviewer: "not-found", auditor: "not-found" } }],
  // And the queue's floor, under /staff so it shares the queue's layout: signing in first, as anywhere under /staff.
  "/staff/bench/queue": [{ path: () => "/staff/bench/queue", expect: { anonymous: "sign-in", supporter: "not-found", reviewer: "not-found", auditor: "not-found" } }],
};

/** The staff CSV downloads: sign in first, a bare 404 for anyone not staff, the file for staff. */
function staffCsv(path: string) {
  return [
    {
      method: "GET" as const,
      path: () => path,
      check: (a: { status: number; location: string; body: string }, caller: Caller, w: World) => {
        if (caller === "anonymous") {
          expect(a.status).toBe(307);
          expect(a.location).toMatch(/\/signin\?next=/);
        } else if (caller === "supporter") {
          expect(a.status).toBe(404);
          expect(a.body).not.toContain(w.otherEmail);
        } else {
          expect(a.status).toBe(200);
          expect(a.body).toContain(w.otherRef);
        }
      },
    },
  ];
}

/**
 * The access-export downloads: sign in first; for anyone else's request, or a
 * request with no export (the supporter's own concern here), a bare 404.
 * The owner's download of a built export is in access.spec.ts.
 */
function exportDownload(format: "json" | "html") {
  return (["ownRef", "otherRef"] as const).map((which) => ({
    method: "GET" as const,
    path: (w: World) => `/requests/${w[which]}/export/${format}`,
    check: (a: { status: number; location: string; body: string }, caller: Caller, w: World) => {
      if (caller === "anonymous") {
        expect(a.status).toBe(307);
        expect(a.location).toMatch(/\/signin\?next=/);
      } else {
        expect(a.status).toBe(404);
      }
      expect(a.body).not.toContain(w.otherEmail);
    },
  }));
}

/**
 * Staff looking at an access export (the other supporter's, an access request
 * just received): a POST, because the look goes on the record. No session:
 * sign in; a supporter: a bare 404; a reviewer: the preview, or "none sent".
 */
function staffExportLook(look: "preview" | "sent") {
  return [
    {
      method: "POST" as const,
      path: (w: World) => `/staff/requests/${w.otherRef}/export/${look}`,
      check: (a: { status: number; location: string; body: string }, caller: Caller, w: World) => {
        if (caller === "anonymous") {
          expect(a.status).toBe(303);
          expect(a.location).toMatch(/\/signin\?next=/);
        } else if (caller === "supporter") {
          expect(a.status).toBe(404);
          expect(a.body).not.toContain(w.otherEmail);
        } else if (look === "preview") {
          expect(a.status).toBe(200);
          expect(a.body).toContain("Staff preview");
          expect(a.body).toContain(w.otherRef);
        } else {
          expect(a.status).toBe(404);
          expect(a.body).toContain("No export was sent for this request.");
        }
      },
    },
  ];
}

/**
 * Other programs' routes: a session is no key. Whoever calls without one gets
 * the API's 401, or DRP's (a bare 403 for the key setup), and nothing else.
 */
function programRoute(method: "GET" | "POST" | "DELETE", path: (w: World) => string, expected: { status: number; body: unknown }) {
  return {
    method,
    path,
    check: (a: { status: number; location: string; body: string }, _caller: Caller, w: World) => {
      expect(a.status).toBe(expected.status);
      expect(a.body === "" ? null : JSON.parse(a.body)).toEqual(expected.body);
      expect(a.body).not.toContain(w.otherEmail);
    },
  };
}

const API_NO_KEY = { status: 401, body: { error: { code: "unauthorized", message: "This call needs an API key: send it as Authorization: Bearer followed by the key." } } };
const DRP_NO_TOKEN = {
  status: 401,
  body: { code: "401", message: "Send the bearer token this organisation issued to the agent (POST /v1/agent/{agent-id}) as Authorization: Bearer." },
};

/** Route handlers: each method of each, with what every caller gets. */
const HANDLERS: Record<
  string,
  Array<{
    method: "GET" | "POST" | "DELETE";
    path: (w: World) => string;
    check: (answer: { status: number; location: string; body: string }, caller: Caller, w: World) => void;
  }>
> = {
  "/api/health": [
    {
      method: "GET",
      path: () => "/api/health",
      check: (a) => {
        expect(a.status).toBe(200);
        expect(JSON.parse(a.body)).toEqual({ ok: true });
      },
    },
  ],
  // The organisation's public key, for checking receipts and anchors: public by nature, the same for everyone.
  "/.well-known/rightsdesk-receipt-key.pem": [
    {
      method: "GET",
      path: () => "/.well-known/rightsdesk-receipt-key.pem",
      check: (a) => {
        expect(a.status).toBe(200);
        expect(a.body).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n$/);
      },
    },
  ],
  "/api/receipts/public-key": [
    {
      method: "GET",
      path: () => "/api/receipts/public-key",
      check: (a) => {
        expect(a.status).toBe(200);
        expect(JSON.parse(a.body)).toMatchObject({ algorithm: "Ed25519", keyId: expect.stringMatching(/^[0-9a-f]{16}$/), publicKeyPem: expect.stringMatching(/^-----BEGIN PUBLIC KEY-----/) });
      },
    },
  ],
  "/api/auth/[...nextauth]": [
    {
      method: "GET",
      path: () => "/api/auth/session",
      check: (a, caller, w) => {
        expect(a.status).toBe(200);
        const session = JSON.parse(a.body) as { user?: { email?: string } };
        const expected = { anonymous: undefined, supporter: w.ownEmail, reviewer: "staff@example.org", auditor: AUDITOR }[caller];
        expect(session.user?.email).toBe(expected);
        expect(a.body).not.toContain(w.otherEmail);
      },
    },
    {
      // next-auth's own "email me a link" endpoint is not served: links come from the portal's forms only.
      method: "POST",
      path: () => "/api/auth/signin/email",
      check: (a) => expect(a.status).toBe(404),
    },
    { method: "GET", path: () => "/api/auth/signout", check: (a) => expect(a.status).toBe(404) },
    {
      // next-auth's link callback never runs: a link from an old email is sent on to the link page, spending nothing.
      method: "GET",
      path: (w) => `/api/auth/callback/email?token=${"0".repeat(64)}&email=${encodeURIComponent(w.otherEmail)}`,
      check: (a) => {
        expect(a.status).toBe(303);
        expect(a.location).toContain(`/signin/link?token=${"0".repeat(64)}&email=`);
      },
    },
  ],
  "/signin/link/follow": [
    {
      // The link page's button: without a link that works it signs nobody in, whoever asks.
      method: "POST",
      path: () => "/signin/link/follow",
      check: (a) => {
        expect(a.status).toBe(303);
        expect(a.location).toContain("/signin/error?error=Verification&link=invalid");
      },
    },
  ],
  // Adding a passkey: staff only (this server's APP_URL names an IP address, which passkeys cannot use: 409 says so).
  "/signin/passkey/register": [
    {
      method: "POST",
      path: () => "/signin/passkey/register",
      check: (a, caller) => expect(a.status).toBe({ anonymous: 401, supporter: 404, reviewer: 409, auditor: 409 }[caller]),
    },
  ],
  // Using a passkey: only for a staff session waiting for one, which none of these callers is.
  "/signin/passkey/authenticate": [
    {
      method: "POST",
      path: () => "/signin/passkey/authenticate",
      check: (a, caller) => expect(a.status).toBe(caller === "anonymous" ? 401 : 404),
    },
  ],
  "/requests/confirm/submit": [
    {
      // The confirm page's button: sign in first; a draft that is not the caller's is "missing".
      method: "POST",
      path: () => "/requests/confirm/submit",
      check: (a, caller) => {
        expect(a.status).toBe(303);
        expect(a.location).toContain(caller === "anonymous" ? "/signin?next=" : "/requests?notice=draft-missing");
      },
    },
  ],
  // The language switcher's buttons: anyone may choose a language; a form naming none changes nothing.
  "/language": [
    {
      method: "POST",
      path: () => "/language",
      check: (a) => {
        expect(a.status).toBe(400);
        expect(JSON.parse(a.body)).toEqual({ error: "That language is not offered here. Choose one of the languages listed on the page." });
      },
    },
  ],
  // The benchmark's empty route: without BENCH_ROUTES=1 it answers 404 to everyone.
  "/bench/empty": [{ method: "GET", path: () => "/bench/empty", check: (a) => expect(a.status).toBe(404) }],
  "/staff/reports/requests.csv": staffCsv("/staff/reports/requests.csv"),
  "/staff/reports/events.csv": staffCsv("/staff/reports/events.csv"),
  "/unsubscribe/[token]": [
    {
      // Following the link changes nothing (mail scanners follow links): it shows the page with the button.
      method: "GET",
      path: () => "/unsubscribe/made.up",
      check: (a) => {
        expect(a.status).toBe(303);
        expect(a.location).toContain("/unsubscribe?token=made.up");
      },
    },
    {
      // Anyone may POST (a mail program does, RFC 8058), but only a signed token for an address unsubscribes it.
      method: "POST",
      path: () => "/unsubscribe/made.up",
      check: (a) => {
        expect(a.status).toBe(400);
        expect(a.body).toBe("Expected the body List-Unsubscribe=One-Click.");
      },
    },
  ],
  "/staff/reports/chart.svg": [
    {
      method: "GET",
      path: () => "/staff/reports/chart.svg?months=12&size=narrow",
      check: (a, caller) => {
        if (caller === "anonymous") {
          expect(a.status).toBe(307);
          expect(a.location).toMatch(/\/signin\?next=/);
        } else if (caller === "supporter") {
          expect(a.status).toBe(404);
          expect(a.body).not.toContain("<svg");
        } else {
          expect(a.status).toBe(200);
          expect(a.body).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="360" height="240" /);
        }
      },
    },
    {
      method: "GET",
      path: () => "/staff/reports/chart.svg?size=toString",
      check: (a, caller) => {
        if (caller === "anonymous") expect(a.status).toBe(307);
        else if (caller === "supporter") expect(a.status).toBe(404);
        else {
          expect(a.status).toBe(400);
          expect(a.body).toBe("The chart comes in two sizes: size=wide or size=narrow.\n");
        }
      },
    },
  ],
  "/staff/reports/choices.csv": [
    {
      method: "GET",
      path: () => "/staff/reports/choices.csv",
      check: (a, caller, w) => {
        if (caller === "anonymous") {
          expect(a.status).toBe(307);
          expect(a.location).toMatch(/\/signin\?next=/);
        } else if (caller === "supporter") {
          expect(a.status).toBe(404);
          expect(a.body).not.toContain(w.otherEmail);
        } else {
          expect(a.status).toBe(200);
          // After the byte-order mark every download starts with, so spreadsheets read it as UTF-8.
          expect(a.body.replace(/^\uFEFF/, "").startsWith("email,topic,list,state,since,route\r\n")).toBe(true);
        }
      },
    },
  ],
  "/preferences/save": [
    {
      // Saves the choices of the address a signed link names, or of the caller signed in; an address in the form counts for nothing.
      method: "POST",
      path: () => "/preferences/save",
      check: (a, caller) => {
        expect(a.status).toBe(303);
        expect(a.location).toContain(caller === "anonymous" ? "/signin?next=%2Frequests%2Fpreferences" : "/requests/preferences?saved=1&joined=0&left=0");
      },
    },
  ],
  "/preferences/new-link": [
    {
      // Only an expired link that we signed earns a new one, sent to the address it names; nothing else does anything.
      method: "POST",
      path: () => "/preferences/new-link",
      check: (a) => {
        expect(a.status).toBe(303);
        expect(a.location).toContain("/preferences/none");
      },
    },
  ],
  "/privacy-signal": [
    {
      // Records the caller's own browser signal, and only when this very request carries it.
      method: "POST",
      path: () => "/privacy-signal",
      check: (a, caller) => {
        expect(a.status).toBe(303);
        expect(a.location).toContain(caller === "anonymous" ? "/signin?next=%2Frequests" : "/requests");
      },
    },
  ],
  // The Global Privacy Control support resource: the same JSON for everyone.
  "/.well-known/gpc.json": [
    {
      method: "GET",
      path: () => "/.well-known/gpc.json",
      check: (a) => {
        expect(a.status).toBe(200);
        expect(JSON.parse(a.body)).toMatchObject({ gpc: true });
      },
    },
  ],
  "/requests/[ref]/export/json": exportDownload("json"),
  "/staff/requests/[ref]/export/preview": staffExportLook("preview"),
  "/staff/requests/[ref]/export/sent": staffExportLook("sent"),
  "/requests/[ref]/export/html": exportDownload("html"),
  "/api/v1/requests": [programRoute("GET", () => "/api/v1/requests", API_NO_KEY), programRoute("POST", () => "/api/v1/requests", API_NO_KEY)],
  "/api/v1/requests/[reference]": [programRoute("GET", (w) => `/api/v1/requests/${w.otherRef}`, API_NO_KEY)],
  "/api/v1/filings/[intake_id]": [programRoute("GET", () => "/api/v1/filings/00000000-0000-0000-0000-000000000000", API_NO_KEY)],
  "/api/v1/events": [programRoute("GET", () => "/api/v1/events", API_NO_KEY)],
  "/api/v1/[...path]": [
    programRoute("GET", () => "/api/v1/nothing/here", { status: 404, body: { error: { code: "not_found", message: "There is no such address in this API; see /api/v1/openapi.json for the ones there are." } } }),
    programRoute("POST", () => "/api/v1/nothing", { status: 404, body: { error: { code: "not_found", message: "There is no such address in this API; see /api/v1/openapi.json for the ones there are." } } }),
  ],
  // The API's description: for anyone.
  "/api/v1/openapi.json": [
    {
      method: "GET",
      path: () => "/api/v1/openapi.json",
      check: (a) => {
        expect(a.status).toBe(200);
        expect(JSON.parse(a.body)).toMatchObject({ openapi: "3.1.0" });
      },
    },
  ],
  "/v1/[...path]": (["GET", "POST", "DELETE"] as const).map((method) =>
    programRoute(method, () => "/v1/agents/SOME_AGENT", {
      status: 404,
      body: {
        code: "404",
        message: "There is no such address in this Data Rights Protocol endpoint: it takes /v1/agent/{agent-id}, /v1/data-rights-request and /v1/data-rights-request/{request_id}.",
      },
    }),
  ),
  "/v1/agent/[agentId]": [programRoute("GET", () => "/v1/agent/SOME_AGENT", DRP_NO_TOKEN), programRoute("POST", () => "/v1/agent/SOME_AGENT", { status: 403, body: null })],
  "/v1/data-rights-request": [programRoute("POST", () => "/v1/data-rights-request", DRP_NO_TOKEN)],
  "/v1/data-rights-request/[requestId]": [
    programRoute("GET", () => "/v1/data-rights-request/00000000-0000-0000-0000-000000000000", DRP_NO_TOKEN),
    programRoute("DELETE", () => "/v1/data-rights-request/00000000-0000-0000-0000-000000000000", DRP_NO_TOKEN),
  ],
};

/** As in server/action.ts: "staff" works requests (reviewers, admins); "any-staff" includes auditors, for their own account. */
type Access = "anyone" | "signed-in" | "staff" | "any-staff" | "admin";

/** Who may use each server action (the `access` its formAction declares). */
const ACTIONS: Record<string, Access> = {
  "app/(public)/new/actions.ts#submitRequest": "anyone",
  "app/(public)/signin/actions.ts#requestSignInLink": "anyone",
  "app/(public)/signin/actions.ts#signOut": "anyone",
  "app/(public)/signin/check-inbox/actions.ts#resendLink": "anyone",
  // A new link for an agent's waiting request goes only to the address the agent gave: anyone holding the page may ask.
  "app/(public)/agents/verify/[requestId]/actions.ts#resendAgentLink": "anyone",
  "app/(public)/verify/actions.ts#checkReceipt": "anyone",
  "app/(public)/requests/[ref]/actions.ts#cancelRequest": "signed-in",
  "app/(public)/requests/[ref]/actions.ts#answerQuestionAction": "signed-in",
  "app/staff/requests/[ref]/actions.ts#startReviewAction": "staff",
  "app/staff/requests/[ref]/actions.ts#approveAction": "staff",
  "app/staff/requests/[ref]/actions.ts#askAction": "staff",
  "app/staff/requests/[ref]/actions.ts#extendAction": "staff",
  "app/staff/requests/[ref]/actions.ts#answerConcernAction": "staff",
  "app/staff/requests/[ref]/actions.ts#denyAction": "staff",
  "app/staff/requests/[ref]/actions.ts#cancelAction": "staff",
  "app/staff/requests/[ref]/actions.ts#assignAction": "staff",
  "app/staff/requests/[ref]/actions.ts#noteAction": "staff",
  "app/staff/requests/[ref]/actions.ts#overrideLimitAction": "staff",
  "app/staff/requests/[ref]/actions.ts#mergeDuplicateAction": "staff",
  "app/staff/requests/[ref]/actions.ts#keepBothAction": "staff",
  "app/staff/bulk/actions.ts#bulkAction": "staff",
  "app/staff/requests/new/actions.ts#recordRequestAction": "staff",
  "app/staff/team/actions.ts#addMember": "admin",
  "app/staff/team/actions.ts#changeMemberRole": "admin",
  "app/staff/team/actions.ts#removeMember": "admin",
  "app/staff/team/actions.ts#endMemberSessionAction": "admin",
  "app/staff/account/actions.ts#endSessionAction": "any-staff",
  "app/staff/account/actions.ts#endOtherSessionsAction": "any-staff",
  "app/staff/account/actions.ts#removePasskeyAction": "any-staff",
  "app/staff/team/actions.ts#resetPasskeysAction": "admin",
  "app/staff/settings/actions.ts#savePasskeyPolicyAction": "admin",
  "app/staff/mail/actions.ts#retryMailAction": "admin",
  "app/staff/import/actions.ts#importAction": "admin",
  "app/staff/settings/actions.ts#saveStatementAction": "admin",
  "app/staff/settings/actions.ts#saveApprovalPolicyAction": "admin",
  "app/staff/settings/actions.ts#saveOrgTextsAction": "admin",
  "app/(public)/requests/[ref]/concern-actions.ts#replyToConcernAction": "signed-in",
  "app/staff/requests/[ref]/fulfilment-actions.ts#decideCorrectionsAction": "staff",
  "app/staff/requests/[ref]/fulfilment-actions.ts#tickTaskAction": "staff",
  "app/staff/requests/[ref]/fulfilment-actions.ts#retryTaskAction": "staff",
  "app/staff/requests/[ref]/fulfilment-actions.ts#messageAction": "staff",
  "app/staff/systems/actions.ts#addSystemAction": "admin",
  "app/staff/systems/actions.ts#toggleSystemAction": "admin",
  "app/staff/systems/actions.ts#newSecretAction": "admin",
  "app/staff/lists/actions.ts#saveListWordsAction": "admin",
  "app/staff/systems/connected-actions.ts#saveConnectedSystemAction": "admin",
  "app/staff/systems/connected-actions.ts#testConnectionAction": "admin",
  "app/staff/systems/connected-actions.ts#previewAddressAction": "admin",
  "app/staff/api/actions.ts#createKeyAction": "admin",
  "app/staff/api/actions.ts#revokeKeyAction": "admin",
  "app/staff/api/actions.ts#createSubscriptionAction": "admin",
  "app/staff/api/actions.ts#toggleSubscriptionAction": "admin",
  "app/staff/api/actions.ts#replayDeliveryAction": "admin",
  "app/staff/api/actions.ts#replayFailedAction": "admin",
  "app/staff/api/actions.ts#saveBusinessAction": "admin",
  "app/staff/api/actions.ts#registerAgentAction": "admin",
  "app/staff/api/actions.ts#toggleAgentAction": "admin",
  "app/staff/api/actions.ts#setAgentSiteAction": "admin",
};

const SIGN_IN_AGAIN = "Your session has ended. Please sign in again.";
const NOT_ALLOWED = "You are not allowed to do this.";

test("the route list matches the app folder: every page, route handler and action has an entry", () => {
  const routes = appRoutes();
  expect(Object.keys(PAGES).sort()).toEqual([...routes.pages].sort());
  expect(Object.keys(HANDLERS).sort()).toEqual(routes.handlers.map((h) => h.pattern).sort());
  for (const handler of routes.handlers) {
    expect(new Set(HANDLERS[handler.pattern]?.map((c) => c.method)), handler.pattern).toEqual(new Set(handler.methods));
  }
  expect(Object.keys(ACTIONS).sort()).toEqual([...routes.actions].sort());
  // ...and every one of them is in the build, so the sweep can call it.
  const built = new Set(builtActions().map((a) => `${a.file}#${a.name}`));
  for (const action of routes.actions) expect(built, action).toContain(action);
});

test("each caller gets only what they may see, from every page, route handler and server action", async ({ browser, uniqueEmail }) => {
  test.setTimeout(180_000);
  const otherEmail = `other-${uniqueEmail}`;
  const otherPage = await browser.newPage();
  const { reference: otherRef } = await fileAndConfirm(otherPage, { type: "access", email: otherEmail });
  await otherPage.context().close();
  const supporter = await browser.newContext();
  const { reference: ownRef } = await fileAndConfirm(await supporter.newPage(), { type: "concern", email: uniqueEmail });
  const world: World = { ownRef, otherRef, ownEmail: uniqueEmail, otherEmail };
  await addStaff(AUDITOR, "auditor");
  const contexts = {
    anonymous: await browser.newContext(),
    supporter,
    reviewer: (await signedInPage(browser, "staff@example.org")).context(),
    auditor: (await signedInPage(browser, AUDITOR)).context(),
  };
  const requestOf = (caller: Caller): APIRequestContext => contexts[caller].request;

  // Pages.
  for (const [pattern, cases] of Object.entries(PAGES)) {
    for (const c of cases) {
      const path = c.path(world);
      for (const caller of CALLERS) {
        const response = await requestOf(caller).get(path, { maxRedirects: 0 });
        const body = await response.text();
        const what = `${caller} GET ${path} (${pattern})`;
        const outcome = c.expect[caller];
        if (outcome === "shown") expect(response.status(), what).toBe(200);
        if (outcome === "not-found") {
          expect(response.status(), what).toBe(404);
          expect(body, what).toContain("Page not found");
        }
        if (outcome === "staff-queue") {
          expect(response.status(), what).toBe(307);
          expect(response.headers().location, what).toBe("/staff");
        }
        if (outcome === "own-requests") {
          expect(response.status(), what).toBe(307);
          expect(response.headers().location, what).toBe("/requests");
        }
        if (outcome === "sign-in") {
          expect(response.status(), what).toBe(307);
          expect(response.headers().location, what).toMatch(/\/signin\?next=/);
        }
        // Only staff pages may name another supporter.
        if (!(pattern.startsWith("/staff") && STAFF_CALLERS.has(caller))) expect(body, what).not.toContain(otherEmail);
      }
    }
  }

  // The auditor reads a request's page whole, with no form that would change it (every action refuses them below too).
  const auditorPage = await contexts.auditor.newPage();
  await auditorPage.goto(`/staff/requests/${otherRef}`);
  await expect(auditorPage.getByText("You are signed in as an auditor")).toBeVisible();
  await expect(auditorPage.getByRole("heading", { name: "Timeline" })).toBeVisible();
  for (const label of ["Start review", "Assign", "Refuse the request", "Close the request", "Add note"]) {
    await expect(auditorPage.getByRole("button", { name: label }), label).toHaveCount(0);
  }
  await expect(auditorPage.getByRole("link", { name: "Record a request" })).toHaveCount(0);
  await auditorPage.close();

  // Route handlers.
  for (const [pattern, cases] of Object.entries(HANDLERS)) {
    for (const c of cases) {
      for (const caller of CALLERS) {
        const path = c.path(world);
        const response =
          c.method === "GET"
            ? await requestOf(caller).get(path, { maxRedirects: 0 })
            : c.method === "DELETE"
              ? await requestOf(caller).delete(path, { maxRedirects: 0, headers: { origin: process.env.E2E_BASE_URL ?? "" } })
              : await requestOf(caller).post(path, {
                  maxRedirects: 0,
                  headers: { origin: process.env.E2E_BASE_URL ?? "" },
                  form: { email: otherEmail },
                });
        const answer = { status: response.status(), location: response.headers().location ?? "", body: await response.text() };
        await test.step(`${caller} ${c.method} ${path} (${pattern})`, () => c.check(answer, caller, world));
      }
    }
  }

  // Server actions, except signing out (below). Each is sent a form that would
  // not pass its checks, so an allowed caller gets field errors and nothing changes.
  const allowedFor = (access: Access, caller: Caller) =>
    access === "anyone" ||
    (access === "signed-in" && caller !== "anonymous") ||
    (access === "staff" && caller === "reviewer") ||
    (access === "any-staff" && STAFF_CALLERS.has(caller));
  const eventsBefore = countRows("request_events e join requests r on r.id = e.request_id", "r.reference = ?", otherRef);
  for (const action of builtActions()) {
    const key = `${action.file}#${action.name}`;
    const access = ACTIONS[key];
    if (!access || action.name === "signOut") continue;
    for (const caller of CALLERS) {
      const answer = await callAction(requestOf(caller), action, { reference: otherRef }, { params: { ref: otherRef } });
      const what = `${caller} → ${key}`;
      expect(answer.status, what).toBe(200);
      const message = answer.state?.message;
      if (allowedFor(access, caller)) {
        expect([SIGN_IN_AGAIN, NOT_ALLOWED], what).not.toContain(message);
        expect(answer.state?.ok, what).toBe(false);
        // Refused by its own checks: the form's fields, or (for a supporter's action on someone else's request) not found.
        if (access === "signed-in") expect(message, what).toMatch(/We could not find that request|Please correct the errors/);
        else expect(Object.keys(answer.state?.fieldErrors ?? {}).length, what).toBeGreaterThan(0);
      } else {
        expect(message, what).toBe(caller === "anonymous" ? SIGN_IN_AGAIN : NOT_ALLOWED);
      }
      expect(answer.body, what).not.toContain(otherEmail);
    }
  }
  // Nothing anyone sent changed the other supporter's request.
  expect(countRows("request_events e join requests r on r.id = e.request_id", "r.reference = ?", otherRef)).toBe(eventsBefore);
  expect(queryDatabase<{ status: string }>("select status from requests where reference = ?", otherRef)).toEqual([{ status: "received" }]);

  // Signing out ends only the caller's own session.
  const signOut = builtActions().find((a) => a.name === "signOut") as BuiltAction;
  for (const caller of CALLERS) {
    const answer = await callAction(requestOf(caller), signOut, {});
    expect(answer.redirect, caller).toBe("/");
    expect((await requestOf(caller).get("/requests", { maxRedirects: 0 })).status(), caller).toBe(307);
  }
  for (const context of Object.values(contexts)) await context.close();
});
