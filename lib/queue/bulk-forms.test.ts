import { describe, expect, it } from "vitest";
import { parseBulkForm } from "./bulk-forms";
import { parseQueueQuery } from "./queue-query";

const A = "RD-7K3Q-9XWM";
const B = "RD-AAAA-BBBB";

describe("parseBulkForm", () => {
  it.each<[string, Record<string, string>, ReturnType<typeof parseBulkForm>]>([
    [
      "two ticked rows to approve, the erasure box ticked",
      { action: "approve", scope: "selected", [`r:${A}`]: "on", [`r:${B}`]: "on", confirmErasure: "yes" },
      { ok: true, value: { action: "approve", params: { confirmedErasure: true }, scope: "selected", references: [A, B] } },
    ],
    [
      "approving without the box",
      { action: "approve", scope: "selected", [`r:${A}`]: "on" },
      { ok: true, value: { action: "approve", params: { confirmedErasure: false }, scope: "selected", references: [A] } },
    ],
    [
      "refusing with one reason",
      { action: "refuse", scope: "selected", [`r:${A}`]: "on", reason: " Asked twice this month. " },
      { ok: true, value: { action: "refuse", params: { reason: "Asked twice this month." }, scope: "selected", references: [A] } },
    ],
    ["refusing without a reason", { action: "refuse", scope: "selected", [`r:${A}`]: "on" }, { ok: false, fieldErrors: { reason: "Give the reason; it is sent to every supporter." } }],
    ["closing without a reason", { action: "close", scope: "selected", [`r:${A}`]: "on", reason: "  " }, { ok: false, fieldErrors: { reason: "Give the reason; it is sent to every supporter." } }],
    [
      "assigning to someone",
      { action: "assign", scope: "selected", [`r:${A}`]: "on", assignee: "Rita@Example.org" },
      { ok: true, value: { action: "assign", params: { assignee: "rita@example.org" }, scope: "selected", references: [A] } },
    ],
    [
      "assigning back to the team",
      { action: "assign", scope: "selected", [`r:${A}`]: "on", assignee: "" },
      { ok: true, value: { action: "assign", params: { assignee: null }, scope: "selected", references: [A] } },
    ],
    ["assigning to a made-up address", { action: "assign", scope: "selected", [`r:${A}`]: "on", assignee: "rita" }, { ok: false, fieldErrors: { assignee: "The assignee must be a valid address, like name@example.org." } }],
    ["no row ticked", { action: "start_review", scope: "selected" }, { ok: false, fieldErrors: { scope: "Tick at least one request, or choose every request matching the filter." } }],
    ["a row that is not a reference", { action: "start_review", scope: "selected", "r:<script>": "on" }, { ok: false, fieldErrors: { scope: "The form named a request that is not one; reload the queue and choose again." } }],
    ["no action", { scope: "selected", [`r:${A}`]: "on" }, { ok: false, fieldErrors: { action: "Choose what to do with the requests." } }],
    ["an unknown action", { action: "erase_everything", scope: "selected", [`r:${A}`]: "on" }, { ok: false, fieldErrors: { action: "Choose what to do with the requests." } }],
    ["no scope", { action: "start_review" }, { ok: false, fieldErrors: { scope: "Choose which requests: those ticked, or every request matching the filter." } }],
  ])("%s", (_what, input, expected) => {
    expect(parseBulkForm(input)).toEqual(expected);
  });

  it("every request matching the filter the page showed, from its first row, with the count that was confirmed", () => {
    const parsed = parseBulkForm({ action: "start_review", scope: "filter", f_type: "erasure", f_status: "received", f_q: "bulk-", f_after: "1.2", confirmedCount: "start_review:10000", [`r:${A}`]: "on" });
    expect(parsed).toEqual({
      ok: true,
      value: { action: "start_review", params: {}, scope: "filter", query: { ...parseQueueQuery({ type: "erasure", status: "received", q: "bulk-" }), after: null }, confirmedCount: 10000 },
    });
  });

  it("a count confirmed for one action does not carry over to another", () => {
    const parsed = parseBulkForm({ action: "refuse", reason: "No.", scope: "filter", f_type: "erasure", confirmedCount: "start_review:10000" });
    expect(parsed.ok && parsed.value.scope === "filter" ? parsed.value.confirmedCount : "?").toBeNull();
  });
});
