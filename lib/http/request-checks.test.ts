import { describe, expect, it } from "vitest";
import {
  ACTION_BODY_LIMIT_BYTES,
  actionPayloadProblem,
  bodyLimitFor,
  isArgumentlessActionCall,
  IMPORT_BODY_LIMIT_BYTES,
  isRouteHandlerPath,
  needsSameOrigin,
  nestedDeeperThan,
  originProblem,
  methodProblem,
  pathProblem,
  ROUTE_BODY_LIMIT_BYTES,
  sizeProblem,
} from "./request-checks";

const APP = "https://rights.example.org";
const headers = (values: Record<string, string>) => (name: string) => values[name] ?? null;

describe("originProblem", () => {
  it.each([
    [{ origin: "https://rights.example.org" }, 0],
    [{ origin: "http://127.0.0.1:3999", host: "127.0.0.1:3999" }, 0],
    [{ origin: "http://internal:3000", host: "other", "x-forwarded-host": "internal:3000" }, 1],
  ])("accepts a request from the site itself: %j (trusted proxies: %i)", (values, trustProxies) => {
    expect(originProblem(headers(values), APP, trustProxies)).toBeNull();
  });

  const REFUSAL = {
    status: 403,
    message: "This request did not come from this site's own pages, so it was refused. Please use the form on the site.",
  };

  it.each([
    [{}],
    [{ origin: "null" }],
    [{ origin: "https://evil.example" }],
    [{ origin: "https://rights.example.org.evil.example" }],
    [{ origin: "http://rights.example.org" }],
    [{ origin: "not a url", host: "not a url" }],
    [{ origin: "https://evil.example", host: "rights.example.org" }],
  ])("refuses a request from elsewhere, or that does not say: %j", (values) => {
    expect(originProblem(headers(values), APP, 0)).toEqual(REFUSAL);
    expect(originProblem(headers(values), APP, 1)).toEqual(REFUSAL);
  });

  it("believes X-Forwarded-Host only behind proxies of the administrator's own: without them any client writes it", () => {
    const forged = { origin: "https://evil.example", host: "rights.example.org", "x-forwarded-host": "evil.example" };
    expect(originProblem(headers(forged), APP, 0)).toEqual(REFUSAL);
    const proxied = { origin: "http://internal:3000", host: "other", "x-forwarded-host": "internal:3000" };
    expect(originProblem(headers(proxied), APP, 0)).toEqual(REFUSAL);
    expect(originProblem(headers(proxied), APP, 1)).toBeNull();
  });
});

describe("methodProblem", () => {
  it.each<[string, string, number | null]>([
    ["GET", "/", null],
    ["HEAD", "/requests", null],
    ["POST", "/staff/requests/RD-7K3Q-9XWM", null],
    ["POST", "/signin/link/follow", null],
    ["PUT", "/", 405],
    ["PATCH", "/requests", 405],
    ["DELETE", "/staff", 405],
    ["OPTIONS", "/", 405],
    ["TRACE", "/requests", 405],
    ["PUT", "/signin/link/follow", 405],
    ["DELETE", "/unsubscribe/abc.def", 405],
    ["PROPFIND", "/staff/reports/requests.csv", 405],
  ])("%s %s: %s", (method, path, status) => {
    const problem = methodProblem(method, path);
    expect(problem?.status ?? null).toBe(status);
    if (problem) expect(problem.message).toBe(`This address does not take ${method} requests: open it (GET), or send its form (POST).`);
  });

  // Where other programs call, each address takes the methods its route handlers export (and OPTIONS, which Next answers).
  it.each<[string, string, readonly string[] | null]>([
    ["DELETE", "/v1/data-rights-request/abc", null],
    ["GET", "/v1/data-rights-request/abc/", null],
    ["POST", "/v1/data-rights-request", null],
    ["OPTIONS", "/api/v1/requests", null],
    ["HEAD", "/api/v1/requests/RD-7K3Q-9XWM", null],
    ["DELETE", "/v1/no/such/address", null],
    ["PUT", "/api/v1/requests", ["GET", "POST", "HEAD"]],
    ["DELETE", "/api/v1/requests/RD-7K3Q-9XWM", ["GET", "HEAD"]],
    ["POST", "/api/v1/openapi.json", ["GET", "HEAD"]],
    ["GET", "/v1/data-rights-request", ["POST"]],
    ["POST", "/v1/data-rights-request/abc", ["GET", "DELETE", "HEAD"]],
    ["DELETE", "/v1/agent/SOME_AGENT", ["GET", "POST", "HEAD"]],
    ["PATCH", "/api/v1/no/such/address", ["GET", "POST", "HEAD"]],
    ["TRACE", "/v1/no/such/address", ["GET", "POST", "DELETE", "HEAD"]],
  ])("%s %s, where other programs call: %j", (method, path, allow) => {
    const problem = methodProblem(method, path);
    expect(problem).toEqual(allow === null ? null : { status: 405, message: `This address does not take ${method} requests: it takes ${allow.join(", ")}.`, allow });
  });
});

describe("pathProblem", () => {
  it.each(["/", "/requests/RD-7K3Q-9XWM", "/unsubscribe/abc.def", "/requests/%E0%A4%A4/export/json", "/a%2Fb", "/%25ff"])("accepts %s", (path) => {
    expect(pathProblem(path)).toBeNull();
  });

  it.each(["/unsubscribe/%ff", "/api/auth/%ff", "/requests/%ff", "/staff/requests/%ff", "/requests/RD-AAAA-AAAA/export/json/%ff", "/requests/%E0%A4%A/export/html", "/%", "/a%zz"])(
    "refuses %s, whose %%-escape does not decode, with 400 and a sentence",
    (path) => {
      expect(pathProblem(path)).toEqual({
        status: 400,
        message: "This address is not valid: part of it is wrongly encoded. Please check the link and try again.",
      });
    },
  );
});

describe("nestedDeeperThan", () => {
  it.each<[string, number, boolean]>([
    ["[null,\"$K1\"]", 1, false],
    ["[[[]]]", 3, false],
    ["[[[[]]]]", 3, true],
    ["{\"a\":{\"b\":[1]}}", 3, false],
    // Brackets inside strings, escaped quotes included, are not nesting.
    ["[\"[[[[\\\"[[[[\"]", 1, false],
    ["[".repeat(5000) + "]".repeat(5000), 32, true],
  ])("%s deeper than %i: %s", (json, limit, deeper) => {
    expect(nestedDeeperThan(json, limit)).toBe(deeper);
  });
});

describe("sizeProblem", () => {
  it("accepts a body up to the limit, and none at all", () => {
    expect(sizeProblem(headers({ "content-length": String(ROUTE_BODY_LIMIT_BYTES) }), ROUTE_BODY_LIMIT_BYTES)).toBeNull();
    expect(sizeProblem(headers({}), ROUTE_BODY_LIMIT_BYTES)).toBeNull();
  });

  it("refuses a larger body with 413, saying the limit", () => {
    expect(sizeProblem(headers({ "content-length": String(ACTION_BODY_LIMIT_BYTES + 1) }), ACTION_BODY_LIMIT_BYTES)).toEqual({
      status: 413,
      message: "This request is too large: at most 2 MB may be sent.",
    });
    expect(sizeProblem(headers({ "content-length": String(ROUTE_BODY_LIMIT_BYTES + 1) }), ROUTE_BODY_LIMIT_BYTES)?.message).toBe(
      "This request is too large: at most 64 KB may be sent.",
    );
  });

  it("refuses a body of unstated length, and a nonsense length", () => {
    expect(sizeProblem(headers({ "transfer-encoding": "chunked" }), ROUTE_BODY_LIMIT_BYTES)?.status).toBe(411);
    expect(sizeProblem(headers({ "content-length": "-1" }), ROUTE_BODY_LIMIT_BYTES)?.status).toBe(400);
  });
});

describe("actionPayloadProblem", () => {
  function form(entries: Array<[string, string]>): FormData {
    const data = new FormData();
    for (const [name, value] of entries) data.append(name, value);
    return data;
  }
  const MULTIPART = "multipart/form-data; boundary=x";

  it("accepts what a browser sends, with and without JavaScript", () => {
    expect(actionPayloadProblem(MULTIPART, form([["_1_email", "a@example.org"], ["0", '[null,"$K1"]']]))).toBeNull();
    expect(actionPayloadProblem(MULTIPART, form([["_1_x", "y"], ["0", '["$K1"]']]))).toBeNull();
    // A state with the values JSON lacks, another part, and a typed "$" (React writes it "$$").
    expect(
      actionPayloadProblem(
        MULTIPART,
        form([["0", '[{"at":"$D2026-12-06T05:00:00.000Z","n":"$n12","z":"$-0","u":"$undefined","x":"$NaN","i":"$-Infinity","typed":"$$B1","more":"$1"},"$K2"]'], ["1", '{"a":1}']]),
      ),
    ).toBeNull();
    expect(
      actionPayloadProblem(
        MULTIPART,
        form([["$ACTION_REF_1", ""], ["$ACTION_1:0", '{"id":"7f00","bound":"$@1"}'], ["$ACTION_1:1", "[null]"], ["$ACTION_KEY", "k1"], ["email", "x"]]),
      ),
    ).toBeNull();
  });

  it.each<[string, string | null, Array<[string, string]> | null]>([
    ["JSON that does not parse", MULTIPART, [["0", "{not json"]]],
    ["arguments that are not a list", MULTIPART, [["0", '"$K1"']]],
    ["arguments without a form", MULTIPART, [["0", '[null,5]']]],
    ["no arguments", MULTIPART, [["0", "[]"]]],
    ["a broken part", MULTIPART, [["0", '[null,"$K2"]'], ["1", "[1,"]]],
    ["a broken form part", MULTIPART, [["$ACTION_1:0", "{"]]],
    // Nested 5,000 deep, as the last argument or anywhere: whatever walks it runs out of stack.
    ["arguments nested 5,000 deep, last", MULTIPART, [["0", `[${"[".repeat(5000)}${"]".repeat(5000)}]`]]],
    ["arguments nested 5,000 deep, before the form", MULTIPART, [["0", `[${"[".repeat(5000)}${"]".repeat(5000)},"$K1"]`]]],
    ["an object nested 5,000 deep", MULTIPART, [["0", `[null,${'{"a":'.repeat(5000)}1${"}".repeat(5000)},"$K1"]`]]],
    ["a part nested 5,000 deep", MULTIPART, [["0", '[null,"$K1"]'], ["1", `${"[".repeat(5000)}${"]".repeat(5000)}`]]],
    ["a form whose last argument is not a reference", MULTIPART, [["0", '[null,["$K1"]]']]],
    // References to a file, a stream or a typed array: React fails on them with a 500 when the part is not one.
    ["a file where a state belongs", MULTIPART, [["0", '["$B1","$K1"]']]],
    ["a file inside the state", MULTIPART, [["0", '[{"values":{"a":["$B2"]}},"$K1"]']]],
    ["a stream", MULTIPART, [["0", '["$R2","$K1"]']]],
    ["a typed array", MULTIPART, [["0", '["$A2","$K1"]']]],
    ["an iterator in another part", MULTIPART, [["0", '["$1","$K2"]'], ["1", '{"a":"$i3"}']]],
    ["a server reference", MULTIPART, [["0", '["$h1","$K2"]']]],
    ["a plain-text body", "text/plain;charset=UTF-8", null],
    ["no content type", null, null],
    ["a body that is not a form", MULTIPART, null],
  ])("refuses %s with 400", (_, contentType, entries) => {
    expect(actionPayloadProblem(contentType, entries ? form(entries) : null)).toEqual({
      status: 400,
      message: "This form arrived in a shape we do not understand. Please reload the page and try again.",
    });
  });
});

describe("bodyLimitFor", () => {
  it.each([
    ["/api/auth/callback/email", ROUTE_BODY_LIMIT_BYTES],
    ["/api/health", ROUTE_BODY_LIMIT_BYTES],
    ["/new", ACTION_BODY_LIMIT_BYTES],
    ["/staff/requests/RD-0000-0000", ACTION_BODY_LIMIT_BYTES],
    ["/staff/import", IMPORT_BODY_LIMIT_BYTES],
    ["/staff/import/other", ACTION_BODY_LIMIT_BYTES],
    ["/unsubscribe/abc.def", ROUTE_BODY_LIMIT_BYTES],
    ["/unsubscribe", ACTION_BODY_LIMIT_BYTES],
    ["/signin/link/follow", ROUTE_BODY_LIMIT_BYTES],
    ["/requests/confirm/submit", ROUTE_BODY_LIMIT_BYTES],
    ["/signin/link", ACTION_BODY_LIMIT_BYTES],
    ["/api/v1/requests", ROUTE_BODY_LIMIT_BYTES],
    ["/v1/data-rights-request", ROUTE_BODY_LIMIT_BYTES],
    ["/preferences/save", ROUTE_BODY_LIMIT_BYTES],
    ["/preferences/new-link", ROUTE_BODY_LIMIT_BYTES],
    ["/privacy-signal", ROUTE_BODY_LIMIT_BYTES],
    ["/preferences/abc.def", ACTION_BODY_LIMIT_BYTES],
  ])("%s may carry %i bytes", (pathname, limit) => {
    expect(bodyLimitFor(pathname)).toBe(limit);
  });
});

describe("which POSTs are route handlers, and which need this site's origin", () => {
  it.each([
    ["/api/auth/signout", true, true],
    ["/unsubscribe/abc.def", true, false],
    ["/unsubscribe", false, true],
    ["/new", false, true],
    ["/staff/import", false, true],
    ["/signin/link/follow", true, true],
    ["/requests/confirm/submit", true, true],
    ["/signin/link", false, true],
    // Programs: a key or an agent's token and signature prove who calls, never a cookie.
    ["/api/v1/requests", true, false],
    ["/v1/data-rights-request", true, false],
    ["/v1/agent/CR_AA_DRP_ID_001", true, false],
    ["/api/health", true, true],
    ["/v1", false, true],
    ["/preferences/save", true, true],
    ["/preferences/new-link", true, true],
    ["/privacy-signal", true, true],
  ])("%s: route handler %s, same origin needed %s", (pathname, route, origin) => {
    expect(isRouteHandlerPath(pathname)).toBe(route);
    expect(needsSameOrigin(pathname)).toBe(origin);
  });
});

describe("isArgumentlessActionCall", () => {
  it.each<[string, string | null, string | null, boolean]>([
    ["the call of an action that takes nothing", "text/plain;charset=UTF-8", "[]", true],
    ["an argument in it", "text/plain;charset=UTF-8", '["x"]', false],
    ["anything else as text", "text/plain", "[[[[]]]]", false],
    ["an empty body", "text/plain", "", false],
    ["another content type", "application/json", "[]", false],
    ["no content type", null, "[]", false],
  ])("%s: %s", (_what, contentType, body, expected) => {
    expect(isArgumentlessActionCall(contentType, body)).toBe(expected);
  });
});
