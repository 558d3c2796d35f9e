/**
 * Checks every request that can change something must pass before the app
 * sees it: it comes from this site's own pages, its body is not too large,
 * and a server action's payload is well formed. Each failure carries the
 * status and the sentence to answer with.
 */

export type RequestProblem = {
  status: 400 | 403 | 405 | 411 | 413;
  message: string;
  /** For a 405: the methods the address does take, for the Allow header. */
  allow?: readonly string[];
};

type HeaderReader = (name: string) => string | null | undefined;

/** Server actions: a form can carry a 1 MB text and still get a field-specific answer. */
export const ACTION_BODY_LIMIT_BYTES = 2 * 1024 * 1024;
/** Route handlers take small form posts at most. */
export const ROUTE_BODY_LIMIT_BYTES = 64 * 1024;
/** The CSV upload on /staff/import: an 8 MB file, with room for the form around it. */
export const IMPORT_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

/**
 * The one-click unsubscribe address (RFC 8058): a mail program POSTs to it
 * without cookies or an Origin header, so the signed token in the path is the
 * whole proof and no origin is asked for.
 */
const ONE_CLICK_UNSUBSCRIBE = "/unsubscribe/";

/**
 * Where other programs call: the JSON API (/api/v1) with an API key and the
 * Data Rights Protocol's endpoints (/v1) with an agent's bearer token and
 * signed bodies. They read no cookie, so a page elsewhere that posts to them
 * gains nothing from a visitor's session, and programs send no Origin.
 */
export const PROGRAM_PREFIXES: readonly string[] = ["/api/v1/", "/v1/"];

export function isProgramPath(pathname: string): boolean {
  return PROGRAM_PREFIXES.some((prefix) => pathname.startsWith(prefix));
}

/**
 * The buttons on the pages an emailed link opens post plain forms to these
 * route handlers, which sign in or confirm a request (see
 * server/follow-link.ts), save a person's email choices or send a fresh
 * link to them (server/preferences.ts), or record the browser's privacy
 * signal; they must come from this site's pages like any form.
 */
export const LINK_BUTTON_PATHS: readonly string[] = [
  "/signin/link/follow",
  "/requests/confirm/submit",
  "/preferences/save",
  "/preferences/new-link",
  "/privacy-signal",
];

/** Route handlers (not pages or server actions) that take a POST. */
export function isRouteHandlerPath(pathname: string): boolean {
  return pathname.startsWith("/api/") || isProgramPath(pathname) || pathname.startsWith(ONE_CLICK_UNSUBSCRIBE) || LINK_BUTTON_PATHS.includes(pathname);
}

/** Whether a POST to `pathname` must come from this site's own pages. */
export function needsSameOrigin(pathname: string): boolean {
  return !pathname.startsWith(ONE_CLICK_UNSUBSCRIBE) && !isProgramPath(pathname);
}

/** How large a body may be sent to `pathname`. */
export function bodyLimitFor(pathname: string): number {
  if (isRouteHandlerPath(pathname)) return ROUTE_BODY_LIMIT_BYTES;
  return pathname === "/staff/import" ? IMPORT_BODY_LIMIT_BYTES : ACTION_BODY_LIMIT_BYTES;
}

export const CHANGING_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * A browser names the page's origin on every POST. It must be the portal's
 * public address, or the host the request was sent to (as Next's own check
 * for server actions does). That host is the Host header, or, only behind
 * proxies of the administrator's own (`trustProxies` > 0, TRUST_PROXY),
 * X-Forwarded-Host: without them any client can write that header.
 */
export function originProblem(header: HeaderReader, appUrl: string, trustProxies: number): RequestProblem | null {
  const origin = header("origin");
  const refusal: RequestProblem = {
    status: 403,
    message: "This request did not come from this site's own pages, so it was refused. Please use the form on the site.",
  };
  if (!origin || origin === "null") return refusal;
  let originUrl: URL;
  try {
    originUrl = new URL(origin);
  } catch {
    return refusal;
  }
  if (originUrl.origin === new URL(appUrl).origin) return null;
  const host = (trustProxies > 0 ? header("x-forwarded-host") : null) ?? header("host");
  return host && originUrl.host === host.split(",")[0]?.trim() ? null : refusal;
}

/** Bodies must say how long they are, and be no longer than `limit`. */
export function sizeProblem(header: HeaderReader, limit: number): RequestProblem | null {
  const length = header("content-length");
  if (length === null || length === undefined) {
    return header("transfer-encoding")
      ? { status: 411, message: "Send the request with a Content-Length header." }
      : null;
  }
  if (!/^\d{1,15}$/.test(length)) return { status: 400, message: "The Content-Length header is not a number." };
  const kb = Math.round(limit / 1024);
  return Number(length) > limit
    ? { status: 413, message: `This request is too large: at most ${kb >= 1024 ? `${kb / 1024} MB` : `${kb} KB`} may be sent.` }
    : null;
}

/** What the site's own addresses answer: reading a page or a file, and sending a form. */
export const SITE_METHODS: readonly string[] = ["GET", "HEAD", "POST"];

/**
 * The addresses other programs call (the route handlers under app/api/v1 and
 * app/v1, in the app folder's own notation) and the methods each takes, most
 * specific first. The sweeps check it against the handlers' exports, so the
 * two cannot drift apart.
 */
export const PROGRAM_ADDRESSES: ReadonlyArray<{ pattern: string; methods: readonly string[] }> = [
  { pattern: "/api/v1/requests", methods: ["GET", "POST"] },
  { pattern: "/api/v1/requests/[reference]", methods: ["GET"] },
  { pattern: "/api/v1/filings/[intake_id]", methods: ["GET"] },
  { pattern: "/api/v1/events", methods: ["GET"] },
  { pattern: "/api/v1/openapi.json", methods: ["GET"] },
  { pattern: "/api/v1/[...path]", methods: ["GET", "POST"] },
  { pattern: "/v1/agent/[agentId]", methods: ["GET", "POST"] },
  { pattern: "/v1/data-rights-request", methods: ["POST"] },
  { pattern: "/v1/data-rights-request/[requestId]", methods: ["GET", "DELETE"] },
  { pattern: "/v1/[...path]", methods: ["GET", "POST", "DELETE"] },
];

const PROGRAM_ADDRESS_MATCHERS = PROGRAM_ADDRESSES.map(({ pattern, methods }) => ({
  methods,
  regex: new RegExp(
    `^${pattern
      .split("/")
      .map((segment) => (segment.startsWith("[...") ? ".+" : segment.startsWith("[") ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
      .join("/")}/?$`,
  ),
}));

/** The methods a program address takes (HEAD wherever GET is, as Next answers it), or null for an address that is not one. */
export function programMethods(pathname: string): readonly string[] | null {
  const found = PROGRAM_ADDRESS_MATCHERS.find((m) => m.regex.test(pathname));
  return found ? found.methods : null;
}

/**
 * Any other method (PUT, DELETE, OPTIONS…) is refused with 405. Where other
 * programs call (/api/v1, /v1), each address takes the methods its handlers
 * export (an agent DELETEs its request), and OPTIONS, which Next answers with
 * them; any other is refused here with Allow naming them, since Next's own 405
 * for a method a handler lacks has neither a body nor an Allow header. Without
 * this a page answered PUT and DELETE as if they were GET, and TRACE with a 500.
 */
export function methodProblem(method: string, pathname: string): RequestProblem | null {
  const program = isProgramPath(pathname) ? programMethods(pathname) : null;
  if (program) {
    const allow = program.includes("GET") ? [...program, "HEAD"] : program;
    if (allow.includes(method) || method === "OPTIONS") return null;
    return { status: 405, message: `This address does not take ${method.slice(0, 20)} requests: it takes ${allow.join(", ")}.`, allow };
  }
  if (SITE_METHODS.includes(method) || isProgramPath(pathname)) return null;
  return { status: 405, message: `This address does not take ${method.slice(0, 20)} requests: open it (GET), or send its form (POST).` };
}

/**
 * An address whose path holds a broken %-escape (a lone "%ff") cannot be
 * decoded into the route's parameters; Next would fail with a 500 doing so.
 */
export function pathProblem(pathname: string): RequestProblem | null {
  try {
    decodeURIComponent(pathname);
    return null;
  } catch {
    return { status: 400, message: "This address is not valid: part of it is wrongly encoded. Please check the link and try again." };
  }
}

/**
 * Deeper than any form's arguments are nested. Whatever walks a value
 * nested thousands deep (converting it to text, Next's decoder) runs out of
 * stack, so such a payload is refused before anything reads it.
 */
export const MAX_PAYLOAD_DEPTH = 32;

/** Whether JSON text nests arrays and objects more than `limit` deep, found without parsing it. */
export function nestedDeeperThan(json: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") {
      if (++depth > limit) return true;
    } else if (c === "]" || c === "}") depth--;
  }
  return false;
}

// React names a server action's argument parts with plain numbers, "0" being the list of arguments;
// a form posted without JavaScript carries "$ACTION_1:0" and the like instead. Next parses each as
// JSON before any of our code runs.
const JSON_PART = /^(\d+|\$ACTION_\d+:\d+)$/;

/**
 * The references a form's arguments can hold, as React writes them: the form
 * ("$K1"), another part ("$1"), a promise of one ("$@1", a form posted
 * without JavaScript), a string that itself starts with "$" ("$$…"), and the
 * values JSON lacks (undefined, dates, big integers, -0, NaN, infinities).
 * The others name a file, a stream or a typed array ("$B1", "$R1", "$A1"…),
 * which no action here takes: React fails on them with a 500 when the part
 * is not what the reference says.
 */
const FORM_REFERENCE = /^\$(\$[\s\S]*|K[0-9a-f]+|@?[0-9a-f]+|undefined|D[\s\S]*|n-?\d+|-0|NaN|-?Infinity)$/;

/** Whether a parsed argument holds a reference no form action here makes. */
function holdsForeignReference(value: unknown): boolean {
  if (typeof value === "string") return value.startsWith("$") && !FORM_REFERENCE.test(value);
  if (Array.isArray(value)) return value.some(holdsForeignReference);
  if (value !== null && typeof value === "object") return Object.values(value).some(holdsForeignReference);
  return false;
}

/**
 * A server action call must be a multipart form whose argument parts are
 * JSON, holding only the references a form makes. Anything else would
 * reach Next's decoder and fail there with a 500.
 */
export function actionPayloadProblem(contentType: string | null, form: FormData | null): RequestProblem | null {
  const malformed: RequestProblem = {
    status: 400,
    message: "This form arrived in a shape we do not understand. Please reload the page and try again.",
  };
  if (!contentType?.toLowerCase().startsWith("multipart/form-data") || !form) return malformed;
  for (const [name, value] of form.entries()) {
    if (!JSON_PART.test(name)) continue;
    if (typeof value !== "string" || nestedDeeperThan(value, MAX_PAYLOAD_DEPTH)) return malformed;
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      return malformed;
    }
    if (holdsForeignReference(parsed)) return malformed;
    // Every action here is a form action: its last argument is the form (a "$K…" reference).
    if (name === "0") {
      const last: unknown = Array.isArray(parsed) ? parsed[parsed.length - 1] : undefined;
      if (!(typeof last === "string" && /^\$K[0-9a-f]+$/.test(last))) return malformed;
    }
  }
  return null;
}

/**
 * A server action that takes no arguments (signing out) is called with the
 * plain-text body "[]": Next leaves out arguments an action does not use.
 * That body, and only that, is a well-formed call of its own.
 */
export function isArgumentlessActionCall(contentType: string | null, body: string | null): boolean {
  return (contentType ?? "").toLowerCase().startsWith("text/plain") && body === "[]";
}
