/**
 * The API for other programs, against the production build: keys made on
 * the admin page, scopes, revocation, filing as the form does, and every
 * answer checked against the OpenAPI document the server itself serves.
 */
import type { APIRequestContext } from "@playwright/test";
import type { OpenApiDocument } from "../lib/api/openapi";
import { contractChecker, type ContractChecker } from "../lib/testing/openapi-validator";
import { expect, signedInPage, test } from "./support/fixtures";
import { countRows, followLink, queryDatabase } from "./support/journeys";
import { signInLink, waitForMail } from "./support/mail";

/** The documented path an address belongs to, e.g. /api/v1/requests/RD-… → /api/v1/requests/{reference}. */
function documentedPath(document: OpenApiDocument, path: string): string {
  const pathname = new URL(path, "http://x").pathname;
  const found = Object.keys(document.paths).find((template) => new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(pathname));
  if (!found) throw new Error(`No documented path for ${pathname}`);
  return found;
}

type Answer = { status: number; body: { error?: { code: string; message: string } } & Record<string, unknown> };

function caller(request: APIRequestContext, document: OpenApiDocument, contract: ContractChecker) {
  return async (method: "GET" | "POST", path: string, key: string | null, body?: unknown): Promise<Answer> => {
    const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
    const response = await request.fetch(path, { method, headers, ...(body === undefined ? {} : { data: body }) });
    const answer = { status: response.status(), body: (await response.json()) as Answer["body"] };
    expect(response.headers()["cache-control"]).toBe("no-store");
    contract.check({ method, path: documentedPath(document, path), status: answer.status, body: answer.body });
    return answer;
  };
}

async function makeKey(admin: import("@playwright/test").Page, name: string, scopes: string[]): Promise<string> {
  await admin.goto("/staff/api");
  await admin.getByLabel("Name", { exact: true }).fill(name);
  for (const scope of scopes) await admin.getByLabel(new RegExp(`^${scope}:`)).check();
  await admin.getByRole("button", { name: "Make a key" }).click();
  const key = (await admin.getByTestId("api-key").textContent())!.trim();
  expect(key).toMatch(/^rdk_[A-Za-z0-9_-]{43}$/);
  return key;
}

test("keys made by an admin: a key that may only read cannot file, a filed request waits for the supporter's confirmation, a revoked key is refused at once, and every answer is as documented", async ({
  browser,
  page: supporter,
  request,
  uniqueEmail,
}) => {
  const document = (await (await request.get("/api/v1/openapi.json")).json()) as OpenApiDocument;
  expect(document.openapi).toBe("3.1.0");
  const contract = contractChecker(document);
  const call = caller(request, document, contract);

  const admin = await signedInPage(browser, "admin@example.org");
  const readerName = `Reader ${uniqueEmail}`;
  const reader = await makeKey(admin, readerName, ["Read requests", "Read events"]);
  // Shown once: reloading the page shows only its first characters.
  await admin.reload();
  await expect(admin.getByTestId("api-key")).toHaveCount(0);
  await expect(admin.getByText(reader.slice(0, 10))).toBeVisible();
  const filer = await makeKey(admin, `Website ${uniqueEmail}`, ["File requests", "Read requests"]);

  // 401 without a key, 403 with a key that lacks the scope; nothing stored.
  expect((await call("GET", "/api/v1/requests", null)).status).toBe(401);
  const refused = await call("POST", "/api/v1/requests", reader, { type: "access", email: uniqueEmail });
  expect(refused.status).toBe(403);
  expect(refused.body.error?.code).toBe("forbidden");
  expect(countRows("request_drafts", "email = ?", uniqueEmail)).toBe(0);

  // Unknown fields are refused by name.
  const typo = await call("POST", "/api/v1/requests", filer, { type: "access", email: uniqueEmail, nmae: "Ann" });
  expect(typo).toEqual({ status: 400, body: { error: { code: "unknown_field", message: "This call does not take the field “nmae”; check the spelling against the API reference." } } });

  const cursor = ((await call("GET", "/api/v1/events?limit=1", reader)).body as { next_after: string }).next_after;
  const since = Date.now();
  const filed = await call("POST", "/api/v1/requests", filer, { type: "access", email: uniqueEmail, name: "Ann Program" });
  expect(filed.status).toBe(202);
  const intake = filed.body.intake_id as string;
  expect((await call("GET", `/api/v1/filings/${intake}`, filer)).body).toMatchObject({ status: "awaiting_confirmation", reference: null });
  // Nothing is in the queue until the supporter confirms, exactly as with the form.
  expect(countRows("requests", "subject_email = ?", uniqueEmail)).toBe(0);
  const confirmation = await waitForMail({ to: uniqueEmail, subject: /^Confirm your request/, since });
  await followLink(supporter, signInLink(confirmation));
  await expect(supporter).toHaveURL(/\/requests\/RD-[^?]+\?notice=confirmed/);

  const following = await call("GET", `/api/v1/filings/${intake}`, filer);
  expect(following.body).toMatchObject({ status: "confirmed", reference: expect.stringMatching(/^RD-/) });
  const reference = following.body.reference as string;
  const read = await call("GET", `/api/v1/requests/${reference}`, reader);
  expect(read.body).toMatchObject({ reference, email: uniqueEmail, name: "Ann Program", status: "received", origin: { kind: "api_key", intake_id: intake } });
  const listed = await call("GET", `/api/v1/requests?q=${encodeURIComponent(uniqueEmail)}`, reader);
  expect((listed.body.requests as Array<{ reference: string }>).map((r) => r.reference)).toEqual([reference]);
  const events = await call("GET", `/api/v1/events?after=${cursor}&kinds=request.received&limit=500`, reader);
  expect((events.body.events as Array<{ reference: string; intake_id: string | null }>).filter((e) => e.reference === reference)).toEqual([
    expect.objectContaining({ kind: "request.received", intake_id: intake }),
  ]);

  // The admin sees the calls, and revoking takes effect on the very next one.
  await admin.goto("/staff/api");
  const section = admin.locator("section").filter({ has: admin.getByRole("heading", { name: readerName }) });
  await section.getByText(/Latest calls/).click();
  await expect(section.getByRole("row", { name: new RegExp(`/api/v1/requests/\\{reference\\}.*${reference}.*200`) })).toBeVisible();
  await section.getByRole("button", { name: `Revoke the key ${readerName}` }).click();
  // The page is drawn again with the key marked revoked, and no button to revoke it.
  await expect(section.getByText("revoked", { exact: true })).toBeVisible();
  await expect(section.getByRole("button", { name: `Revoke the key ${readerName}` })).toHaveCount(0);
  const revoked = await call("GET", "/api/v1/requests", reader);
  expect(revoked).toEqual({ status: 401, body: { error: { code: "unauthorized", message: "This API key was revoked by an administrator and no longer works." } } });
  expect(queryDatabase<{ revoked_by: string }>("select revoked_by from api_keys where name = ?", readerName)).toEqual([{ revoked_by: "admin@example.org" }]);

  // Every route was seen answering, each as documented.
  const seen = [...contract.seen()].map((s) => s.split(" ").slice(0, 2).join(" "));
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const method of Object.keys(methods)) expect(seen, `${method} ${path}`).toContain(`${method.toUpperCase()} ${path}`);
  }
  await admin.context().close();
});

test("the readable reference lists every call and shape, for anyone", async ({ page }) => {
  await page.goto("/developers");
  await expect(page.getByRole("heading", { level: 1, name: "API reference" })).toBeVisible();
  for (const call of ["GET /api/v1/requests", "POST /api/v1/requests", "GET /api/v1/requests/{reference}", "GET /api/v1/filings/{intake_id}", "GET /api/v1/events"]) {
    await expect(page.getByRole("heading", { level: 3, name: call, exact: true })).toBeVisible();
  }
  await expect(page.getByRole("heading", { level: 3, name: "FileRequest", exact: true })).toBeVisible();
});
