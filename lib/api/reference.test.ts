import { describe, expect, it } from "vitest";
import { TEST_CONTEXT } from "@/lib/testing/portal-context";
import { openApiDocument } from "./openapi";
import { referenceOf, typeOf } from "./reference";
import { API_ROUTES } from "./routes";

describe("typeOf", () => {
  it.each([
    [{ $ref: "#/components/schemas/Deadline" }, { text: "Deadline", link: "Deadline" }],
    [{ anyOf: [{ $ref: "#/components/schemas/Deadline" }, { type: "null" }] }, { text: "Deadline or null", link: "Deadline" }],
    [{ type: ["string", "null"] }, { text: "string or null", link: null }],
    [{ type: "array", items: { $ref: "#/components/schemas/Event" } }, { text: "list of Event", link: "Event" }],
    [{ type: "string", enum: ["a", "b"] }, { text: "one of a, b", link: null }],
    [{ type: "string", format: "date-time" }, { text: "string (date-time)", link: null }],
    [{ type: "string", const: "access" }, { text: "“access”", link: null }],
  ])("%j reads %j", (schema, expected) => {
    expect(typeOf(schema)).toEqual(expected);
  });
});

describe("referenceOf", () => {
  it("lists every call of the document with its scope, and every shape with its fields", () => {
    const reference = referenceOf(openApiDocument({ appUrl: TEST_CONTEXT.appUrl, orgName: "Test Org" }));
    expect(reference.title).toBe("Test Org: Rightsdesk API");
    expect(reference.operations.map((o) => `${o.method} ${o.path} ${o.scope}`).sort()).toEqual(API_ROUTES.map((r) => `${r.method} ${r.path} ${r.scope}`).sort());
    const file = reference.operations.find((o) => o.id === "fileRequest")!;
    expect(file.body).toBe("FileRequest");
    expect(file.responses.find((r) => r.status === "202")).toEqual({ status: "202", description: "Filed as a draft; the supporter was emailed the link that confirms it.", shape: "Filing" });
    const shape = reference.shapes.find((s) => s.name === "FileRequest")!;
    expect(shape.variants.map((v) => v.title)).toEqual(["type “access”", "type “correction”", "type “erasure”", "type “unsubscribe”", "type “concern”"]);
    expect(reference.shapes.find((s) => s.name === "RequestType")!.values).toEqual(["access", "correction", "erasure", "unsubscribe", "concern"]);
    const list = reference.operations.find((o) => o.id === "listRequests")!;
    expect(list.parameters.find((p) => p.name === "limit (query)")).toMatchObject({ type: "integer", required: false });
  });
});
