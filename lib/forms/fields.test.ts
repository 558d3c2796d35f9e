import { describe, expect, it } from "vitest";
import { formDataToRecord } from "./fields";

describe("formDataToRecord", () => {
  it("keeps text fields and skips Next.js $ACTION keys and files", () => {
    const form = new FormData();
    form.append("type", "access");
    form.append("email", "ann@example.org");
    form.append("$ACTION_ID_abc123", "");
    form.append("$ACTION_REF_1", "");
    form.append("$ACTION_1:0", '{"id":"x"}');
    form.append("upload", new Blob(["%PDF-1.7"], { type: "application/pdf" }), "passport.pdf");
    form.append("empty", "");
    expect(formDataToRecord(form)).toEqual({ type: "access", email: "ann@example.org", empty: "" });
  });

  it("keeps the first of repeated keys", () => {
    const form = new FormData();
    form.append("type", "access");
    form.append("type", "erasure");
    expect(formDataToRecord(form)).toEqual({ type: "access" });
  });

  it("returns a plain record that a field named __proto__ cannot pollute", () => {
    const form = new FormData();
    form.append("__proto__", "polluted");
    const record = formDataToRecord(form);
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
