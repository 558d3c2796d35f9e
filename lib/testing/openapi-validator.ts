/**
 * Test helper: checks an answer of /api/v1 against the OpenAPI document
 * with a real JSON Schema validator (Ajv, draft 2020-12, the dialect of
 * OpenAPI 3.1), and remembers which routes and statuses were seen, so a
 * suite can tell that it checked every route. Only tests import this.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { OpenApiDocument } from "@/lib/api/openapi";

const DOCUMENT_ID = "openapi.json";

function pointerPart(part: string): string {
  return part.replace(/~/g, "~0").replace(/\//g, "~1");
}

export type ContractChecker = {
  /** Throws, naming each mismatch, unless `body` is what the document says `method path` answers with `status`. */
  check(input: { method: string; path: string; status: number; body: unknown }): void;
  /** Throws unless a request body is what the document says the route takes. */
  checkRequestBody(input: { method: string; path: string; body: unknown }): void;
  /** "GET /api/v1/requests 200" for every answer checked. */
  seen(): Set<string>;
};

export function contractChecker(document: OpenApiDocument): ContractChecker {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  ajv.addSchema(document, DOCUMENT_ID);
  const seen = new Set<string>();
  const validate = (pointer: string, value: unknown, what: string) => {
    const validator = ajv.getSchema(`${DOCUMENT_ID}#${pointer}`);
    if (!validator) throw new Error(`The document has no schema at ${pointer} (${what}).`);
    if (!validator(value)) {
      throw new Error(`${what} does not match the document: ${ajv.errorsText(validator.errors, { separator: "; " })}\n${JSON.stringify(value, null, 2).slice(0, 2000)}`);
    }
  };
  return {
    check({ method, path, status, body }) {
      const operation = document.paths[path]?.[method.toLowerCase()] as { responses?: Record<string, unknown> } | undefined;
      if (!operation) throw new Error(`The document has no ${method} ${path}.`);
      if (!operation.responses?.[String(status)]) throw new Error(`The document does not say ${method} ${path} can answer ${status}.`);
      validate(`/paths/${pointerPart(path)}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`, body, `${method} ${path} ${status}`);
      seen.add(`${method} ${path} ${status}`);
    },
    checkRequestBody({ method, path, body }) {
      validate(`/paths/${pointerPart(path)}/${method.toLowerCase()}/requestBody/content/application~1json/schema`, body, `The body of ${method} ${path}`);
    },
    seen: () => seen,
  };
}
