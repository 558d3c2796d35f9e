import { describe, expect, it } from "vitest";
import { parseMemberForm, parseMemberRoleForm } from "./team-forms";

describe("parseMemberRoleForm", () => {
  it.each<[string, Record<string, string>, ReturnType<typeof parseMemberRoleForm>]>([
    ["a reviewer", { email: " New@Example.org ", role: "reviewer" }, { ok: true, value: { email: "new@example.org", role: "reviewer" } }],
    ["an admin", { email: "lead@example.org", role: "admin" }, { ok: true, value: { email: "lead@example.org", role: "admin" } }],
    ["an auditor", { email: "trustee@example.org", role: "auditor" }, { ok: true, value: { email: "trustee@example.org", role: "auditor" } }],
    ["nothing", {}, { ok: false, fieldErrors: { email: "Enter the staff member's email address.", role: "Choose a role: admin, reviewer or auditor." } }],
    ["a blank address", { email: "   ", role: "admin" }, { ok: false, fieldErrors: { email: "Enter the staff member's email address." } }],
    [
      "not an address",
      { email: "lead", role: "admin" },
      { ok: false, fieldErrors: { email: "The staff member's email address must be a valid address, like name@example.org." } },
    ],
    [
      "an address with a line break",
      { email: "lead@example.org\nBcc: x@example.org", role: "admin" },
      { ok: false, fieldErrors: { email: "The staff member's email address must be a valid address, like name@example.org." } },
    ],
    [
      "a very long address",
      { email: `${"a".repeat(250)}@example.org`, role: "admin" },
      { ok: false, fieldErrors: { email: "The staff member's email address must be 254 characters or fewer." } },
    ],
    ["an unknown role", { email: "lead@example.org", role: "owner" }, { ok: false, fieldErrors: { role: "Choose a role: admin, reviewer or auditor." } }],
    ["a role in the wrong case", { email: "lead@example.org", role: "Admin" }, { ok: false, fieldErrors: { role: "Choose a role: admin, reviewer or auditor." } }],
    ["the supporter role", { email: "lead@example.org", role: "supporter" }, { ok: false, fieldErrors: { role: "Choose a role: admin, reviewer or auditor." } }],
  ])("%s", (_name, input, expected) => {
    expect(parseMemberRoleForm(input)).toEqual(expected);
  });
});

describe("parseMemberForm", () => {
  it.each<[Record<string, string>, ReturnType<typeof parseMemberForm>]>([
    [{ email: "Rev@Example.org" }, { ok: true, value: { email: "rev@example.org" } }],
    [{ email: "rev@example.org", role: "ignored" }, { ok: true, value: { email: "rev@example.org" } }],
    [{}, { ok: false, fieldErrors: { email: "Enter the staff member's email address." } }],
    [{ email: "x" }, { ok: false, fieldErrors: { email: "The staff member's email address must be a valid address, like name@example.org." } }],
  ])("%j", (input, expected) => {
    expect(parseMemberForm(input)).toEqual(expected);
  });
});
