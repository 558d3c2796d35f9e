/**
 * Reading a call's query, path and body against its schema, and saying
 * what is wrong in one sentence that names the field: an unknown field is
 * refused by its name rather than ignored, so a typo cannot pass unnoticed.
 */
import type { z } from "zod";
import { ApiProblem } from "./errors";
import { strictUtf8 } from "@/lib/http/decode";

type Issue = z.core.$ZodIssue;

function fieldName(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

/** One issue in words. */
export function describeIssue(issue: Issue, where: "body" | "query" | "path"): { code: "unknown_field" | "invalid_request"; message: string } {
  const field = fieldName(issue.path);
  const named = field ? `The field “${field}”` : where === "body" ? "The body" : "The query";
  switch (issue.code) {
    case "unrecognized_keys": {
      const keys = issue.keys.map((k) => `“${field ? `${field}.` : ""}${k}”`).join(", ");
      const noun = where === "query" ? (issue.keys.length > 1 ? "parameters" : "parameter") : issue.keys.length > 1 ? "fields" : "field";
      return { code: "unknown_field", message: `This call does not take the ${noun} ${keys}; check the spelling against the API reference.` };
    }
    case "invalid_type":
      // zod leaves the input out of its issues; its own message says what it received.
      if (/received undefined$/.test(issue.message)) return { code: "invalid_request", message: `${named} is missing.` };
      return { code: "invalid_request", message: `${named} must be ${issue.expected === "object" ? "a JSON object" : issue.expected === "array" ? "a list" : `a ${issue.expected}`}.` };
    case "invalid_value":
      return { code: "invalid_request", message: `${named} must be one of: ${issue.values.map(String).join(", ")}.` };
    case "invalid_union":
      // A discriminated union says so when the discriminator matches none of its options.
      if ("note" in issue && issue.note === "No matching discriminator") {
        return { code: "invalid_request", message: `${named} is missing or not one this call knows.` };
      }
      return { code: "invalid_request", message: `${named} does not have any of the shapes this call takes.` };
    case "too_big":
      return { code: "invalid_request", message: `${named} must be at most ${String(issue.maximum)}${issue.origin === "string" ? " characters long" : ""}.` };
    case "too_small":
      return { code: "invalid_request", message: `${named} must be at least ${String(issue.minimum)}${issue.origin === "string" ? " characters long" : ""}.` };
    default:
      return { code: "invalid_request", message: `${named}: ${issue.message}` };
  }
}

function problemOf(error: z.ZodError, where: "body" | "query" | "path"): ApiProblem {
  // An unknown field is the most useful thing to hear first: it is often the cause of the rest.
  const issue = error.issues.find((i) => i.code === "unrecognized_keys") ?? error.issues[0];
  if (!issue) return new ApiProblem("invalid_request", `The ${where} is not valid.`);
  const { code, message } = describeIssue(issue, where);
  return new ApiProblem(code, message);
}

/** The query string as an object; a parameter given twice is refused, since which one counts would be a guess. */
export function parseQuery<T extends z.ZodType>(schema: T, params: URLSearchParams): z.output<T> {
  // No prototype: on a plain object, a parameter named "__proto__" would set the prototype and vanish unrefused.
  const record: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of params) {
    if (Object.hasOwn(record, key)) throw new ApiProblem("invalid_request", `The query parameter “${key}” is given more than once; give it once.`);
    record[key] = value;
  }
  const parsed = schema.safeParse(record);
  if (!parsed.success) throw problemOf(parsed.error, "query");
  return parsed.data;
}

export function parsePath<T extends z.ZodType>(schema: T, params: Record<string, string>): z.output<T> {
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw problemOf(parsed.error, "path");
  return parsed.data;
}

/** Bodies are JSON; this much is plenty for any request a supporter could make. */
export const MAX_BODY_BYTES = 64 * 1024;

export async function parseJsonBody<T extends z.ZodType>(schema: T, request: Request): Promise<z.output<T>> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") {
    throw new ApiProblem("unsupported_media_type", "Send the body as JSON, with Content-Type: application/json.");
  }
  const bytes = new Uint8Array(await request.arrayBuffer());
  // The portal refuses a longer Content-Length before the route runs (proxy.ts); this catches a body that did not say its length.
  if (bytes.byteLength > MAX_BODY_BYTES) throw new ApiProblem("too_large", "This request is too large: at most 64 KB may be sent.");
  const text = strictUtf8(bytes);
  if (text === null) throw new ApiProblem("invalid_request", "The body is not UTF-8 text: send the JSON encoded as UTF-8.");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiProblem("invalid_request", "The body is not valid JSON.");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw problemOf(parsed.error, "body");
  return parsed.data;
}
