/**
 * The OpenAPI document as a person reads it: each call with its parameters
 * and answers, each shape as a table of fields. The reference page renders
 * this; it is read off the same document programs download.
 */
import type { OpenApiDocument } from "./openapi";

type JsonSchema = Record<string, unknown>;

export type FieldRow = { name: string; type: string; typeLink: string | null; required: boolean; description: string };
export type ShapeView = { name: string; description: string; variants: Array<{ title: string | null; fields: FieldRow[] }>; values: string[] | null };
export type OperationView = {
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  scope: string;
  parameters: FieldRow[];
  body: string | null;
  responses: Array<{ status: string; description: string; shape: string | null }>;
};

const REF = /^#\/components\/schemas\/(.+)$/;

function refName(schema: unknown): string | null {
  const ref = (schema as JsonSchema | undefined)?.$ref;
  return typeof ref === "string" ? (REF.exec(ref)?.[1] ?? null) : null;
}

/** A schema's type in a few words, and the shape it links to, if any. */
export function typeOf(schema: JsonSchema): { text: string; link: string | null } {
  const named = refName(schema);
  if (named) return { text: named, link: named };
  for (const key of ["anyOf", "oneOf"] as const) {
    const options = schema[key];
    if (Array.isArray(options)) {
      const parts = (options as JsonSchema[]).map(typeOf);
      return { text: parts.map((p) => p.text).join(" or "), link: parts.find((p) => p.link)?.link ?? null };
    }
  }
  if (Array.isArray(schema.enum)) return { text: `one of ${(schema.enum as unknown[]).map(String).join(", ")}`, link: null };
  if (schema.const !== undefined) return { text: `“${String(schema.const)}”`, link: null };
  const type = Array.isArray(schema.type) ? (schema.type as string[]).join(" or ") : String(schema.type ?? "any");
  if (type === "array" && schema.items) {
    const item = typeOf(schema.items as JsonSchema);
    return { text: `list of ${item.text}`, link: item.link };
  }
  if (typeof schema.format === "string") return { text: `${type} (${schema.format})`, link: null };
  return { text: type, link: null };
}

function fieldsOf(schema: JsonSchema): FieldRow[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const type = typeOf(property);
    return { name, type: type.text, typeLink: type.link, required: required.has(name), description: typeof property.description === "string" ? property.description : "" };
  });
}

function shapeOf(name: string, schema: JsonSchema): ShapeView {
  const description = typeof schema.description === "string" ? schema.description : "";
  const options = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (Array.isArray(options)) {
    return {
      name,
      description,
      values: null,
      variants: options.map((option) => {
        const discriminator = ((option.properties ?? {}) as Record<string, JsonSchema>).type?.const;
        return { title: discriminator === undefined ? null : `type “${String(discriminator)}”`, fields: fieldsOf(option) };
      }),
    };
  }
  if (Array.isArray(schema.enum)) return { name, description, values: (schema.enum as unknown[]).map(String), variants: [] };
  return { name, description, values: null, variants: [{ title: null, fields: fieldsOf(schema) }] };
}

export function referenceOf(document: OpenApiDocument): { title: string; description: string; operations: OperationView[]; shapes: ShapeView[] } {
  const info = document.info as { title: string; description: string };
  const operations: OperationView[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const operation = raw as JsonSchema & { parameters: Array<JsonSchema & { schema: JsonSchema }>; responses: Record<string, JsonSchema>; requestBody?: JsonSchema };
      const bodySchema = (operation.requestBody as { content?: Record<string, { schema: JsonSchema }> } | undefined)?.content?.["application/json"]?.schema;
      operations.push({
        id: String(operation.operationId),
        method: method.toUpperCase(),
        path,
        summary: String(operation.summary),
        description: String(operation.description),
        scope: String(operation["x-scope"]),
        parameters: operation.parameters.map((p) => {
          const type = typeOf(p.schema);
          return { name: `${String(p.name)} (${String(p.in)})`, type: type.text, typeLink: type.link, required: p.required === true, description: typeof p.description === "string" ? p.description : "" };
        }),
        body: bodySchema ? refName(bodySchema) : null,
        responses: Object.entries(operation.responses).map(([status, response]) => ({
          status,
          description: String(response.description),
          shape: refName((response.content as Record<string, { schema: JsonSchema }> | undefined)?.["application/json"]?.schema),
        })),
      });
    }
  }
  return { title: info.title, description: info.description, operations, shapes: Object.entries(document.components.schemas).map(([name, schema]) => shapeOf(name, schema)) };
}
