/**
 * Server actions called the way a browser calls them, so tests can send
 * what no form would (another caller, bad input, hostile values). Their ids
 * come from the build's manifest.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";
import { projectRoot } from "./app-process";

export type BuiltAction = {
  id: string;
  /** The file it is exported from, e.g. "app/(public)/new/actions.ts". */
  file: string;
  name: string;
  /** A page path that serves it (dynamic segments filled from `params`). */
  pagePattern: string;
};

type Manifest = { node: Record<string, { filename: string; exportedName: string; workers: Record<string, unknown> }> };

/** Every server action in the current build. */
export function builtActions(): BuiltAction[] {
  const manifest = JSON.parse(
    readFileSync(path.join(projectRoot(), ".next", "server", "server-reference-manifest.json"), "utf8"),
  ) as Manifest;
  return Object.entries(manifest.node).map(([id, entry]) => {
    const worker = Object.keys(entry.workers).find((w) => w.endsWith("/page")) ?? "app/page";
    const pagePattern =
      worker
        .replace(/^app/, "")
        .replace(/\/page$/, "")
        .replace(/\/\([^)]*\)/g, "") || "/";
    return { id, file: entry.filename, name: entry.exportedName, pagePattern };
  });
}

export function builtAction(file: string, name: string): BuiltAction {
  const found = builtActions().find((a) => a.file === file && a.name === name);
  if (!found) throw new Error(`No server action ${name} from ${file} in the build.`);
  return found;
}

export type ActionAnswer = {
  status: number;
  /** Where the action redirected to, if it did. */
  redirect: string | null;
  /** The action's returned state, when it returned one. */
  state: { ok?: boolean; message?: string; fieldErrors?: Record<string, string> } | null;
  body: string;
  headers: Record<string, string>;
};

/** Fills [param] segments of a page pattern. */
export function fillPattern(pattern: string, params: Record<string, string>): string {
  return pattern.replace(/\[([^\]]+)\]/g, (_, name: string) => params[name] ?? "RD-AAAA-AAAA");
}

/**
 * Calls an action form-style, as `useActionState` does: (previous state,
 * form data). `fields` become the form; "0" (the argument list) goes last,
 * as browsers send it.
 */
export async function callAction(
  request: APIRequestContext,
  action: BuiltAction,
  fields: Record<string, string>,
  options: {
    params?: Record<string, string>;
    headers?: Record<string, string>;
    rawBody?: { contentType: string; data: string | Buffer };
    /** The server's address as the caller's cookies know it; the suite's own by default. */
    baseURL?: string;
  } = {},
): Promise<ActionAnswer> {
  const baseURL = options.baseURL ?? process.env.E2E_BASE_URL ?? "";
  const url = `${baseURL}${fillPattern(action.pagePattern, options.params ?? {})}`;
  const headers = { "next-action": action.id, accept: "text/x-component", origin: baseURL, ...options.headers };
  let response;
  if (options.rawBody) {
    response = await request.post(url, {
      headers: { ...headers, "content-type": options.rawBody.contentType },
      data: options.rawBody.data,
      maxRedirects: 0,
    });
  } else {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(`_1_${name}`, value);
    form.append("0", '[null,"$K1"]');
    response = await request.post(url, { headers, multipart: form, maxRedirects: 0 });
  }
  const raw = await response.body();
  const body = raw.toString("utf8");
  let state: ActionAnswer["state"] = null;
  const row = flightRows(raw).get("1");
  if (row?.startsWith("{")) {
    try {
      state = JSON.parse(row) as ActionAnswer["state"];
    } catch {
      state = null;
    }
  }
  const headersOut = response.headers();
  return { status: response.status(), redirect: headersOut["x-action-redirect"]?.split(";")[0] ?? null, state, body, headers: headersOut };
}

/**
 * The rows of a React Flight response, by id. Most rows end at a line break;
 * a long text row ("T", then its length in bytes in hex) does not.
 */
function flightRows(raw: Buffer): Map<string, string> {
  const rows = new Map<string, string>();
  let at = 0;
  while (at < raw.length) {
    const colon = raw.indexOf(":", at);
    if (colon < 0) break;
    const id = raw.subarray(at, colon).toString("utf8");
    if (raw[colon + 1] === 0x54 /* T */) {
      const comma = raw.indexOf(",", colon);
      const length = parseInt(raw.subarray(colon + 2, comma).toString("utf8"), 16);
      rows.set(id, raw.subarray(comma + 1, comma + 1 + length).toString("utf8"));
      at = comma + 1 + length;
    } else {
      const end = raw.indexOf("\n", colon);
      rows.set(id, raw.subarray(colon + 1, end < 0 ? raw.length : end).toString("utf8"));
      at = end < 0 ? raw.length : end + 1;
    }
  }
  return rows;
}
