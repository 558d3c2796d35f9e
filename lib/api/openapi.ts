/**
 * The OpenAPI 3.1 document of /api/v1, generated from the route table and
 * the zod schemas the routes check calls with (z.toJSONSchema, zod's own
 * converter: OpenAPI 3.1 takes JSON Schema 2020-12 as it is, so no other
 * library stands between the schemas and the document).
 */
import { z } from "zod";
import { API_ERROR_STATUS, type ApiErrorCode } from "./errors";
import { EVENT_KIND_WORDS, PUBLIC_EVENT_KINDS } from "./event-kinds";
import { SCOPE_WORDS } from "./keys";
import type { ApiRoute } from "./route";
import { API_ROUTES } from "./routes";
import { apiRegistry } from "./schemas";

type JsonSchema = Record<string, unknown>;

const COMPONENT_URI = (id: string) => `#/components/schemas/${id}`;

/** A schema as the document holds it: without the per-schema $schema and $id the converter adds. */
function bare(schema: JsonSchema): JsonSchema {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

function componentSchemas(): Record<string, JsonSchema> {
  const converted = z.toJSONSchema(apiRegistry, { target: "draft-2020-12", uri: COMPONENT_URI }) as { schemas: Record<string, JsonSchema> };
  return Object.fromEntries(Object.entries(converted.schemas).map(([id, schema]) => [id, bare(schema)]));
}

/** A schema used in a route: a reference when it is a named component, the schema itself when not. */
function schemaRef(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const meta = apiRegistry.get(schema);
  if (meta) return { $ref: COMPONENT_URI(meta.id) };
  // Unnamed schemas (a route's own query, say) hold no named ones, so they need no references.
  return bare(z.toJSONSchema(schema, { target: "draft-2020-12", io }) as JsonSchema);
}

function parametersOf(schema: z.ZodType | undefined, where: "path" | "query"): JsonSchema[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { target: "draft-2020-12", io: "input" }) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === "path" || (json.required ?? []).includes(name),
      ...(typeof description === "string" ? { description } : {}),
      schema: rest,
    };
  });
}

const REFUSAL_WORDS: Record<ApiErrorCode, string> = {
  invalid_request: "The path, query or body does not have the documented shape (code invalid_request), or names a field this call does not take (code unknown_field).",
  unknown_field: "",
  unauthorized: "No API key, or one that is unknown or revoked.",
  forbidden: "The key does not have the scope this call needs.",
  not_found: "Nothing with this id, for this key.",
  method_not_allowed: "A method this address does not take; the Allow header names those it does.",
  unsupported_media_type: "The body is not sent as application/json.",
  too_large: "The body is larger than 64 KB.",
  length_required: "The body was sent without a Content-Length header.",
  limit_reached: "A per-supporter limit refuses the request (for example one open request of a type); the supporter was emailed why, as the form would have done.",
  rate_limited: "The key used up its calls for this minute (see Retry-After), or the address was sent too many confirmation emails.",
  server_error: "Something went wrong on our side; nothing was changed. The message quotes an error id.",
};

/** The refusals a route can give, by status. */
export function refusalsOf(route: ApiRoute): ApiErrorCode[] {
  const codes: ApiErrorCode[] = ["unauthorized", "forbidden", "rate_limited", "server_error"];
  if (route.query || route.body || route.params) codes.push("invalid_request");
  if (route.params) codes.push("not_found");
  if (route.body) codes.push("unsupported_media_type", "limit_reached", "too_large", "length_required");
  return codes;
}

function operationOf(route: ApiRoute): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    responses[status] = { description: response.description, content: { "application/json": { schema: schemaRef(response.schema, "output") } } };
  }
  for (const code of refusalsOf(route)) {
    responses[String(API_ERROR_STATUS[code])] = { description: REFUSAL_WORDS[code], content: { "application/json": { schema: { $ref: COMPONENT_URI("Error") } } } };
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: `${route.description}\n\nNeeds the ${route.scope} scope (${SCOPE_WORDS[route.scope].label}).`,
    "x-scope": route.scope,
    parameters: [...parametersOf(route.params, "path"), ...parametersOf(route.query, "query")],
    ...(route.body ? { requestBody: { required: true, content: { "application/json": { schema: schemaRef(route.body, "input") } } } } : {}),
    responses,
  };
}

export type OpenApiDocument = JsonSchema & {
  paths: Record<string, Record<string, JsonSchema>>;
  components: { securitySchemes: Record<string, JsonSchema>; schemas: Record<string, JsonSchema> };
};

export function openApiDocument(input: { appUrl: string; orgName: string }, routes: readonly ApiRoute[] = API_ROUTES): OpenApiDocument {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operationOf(route);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: `${input.orgName}: Rightsdesk API`,
      version: "1.0.0",
      description:
        "For other programs: list and read data rights requests, file one for a supporter, and follow what happens to them. " +
        "Every call carries an API key made by an administrator (Authorization: Bearer rdk_…); each key has scopes and a rate a minute, " +
        "and every call is on the staff's record. Refusals are JSON with a stable code and a sentence. Event kinds: " +
        PUBLIC_EVENT_KINDS.map((k) => `${k} (${EVENT_KIND_WORDS[k].toLowerCase()})`).join("; ") +
        ".",
    },
    servers: [{ url: input.appUrl }],
    security: [{ apiKey: [] }],
    paths,
    components: {
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An API key, rdk_ and 43 characters, made by an administrator at /staff/api." } },
      schemas: componentSchemas(),
    },
  };
}
