import { describe, expect, it } from "vitest";
import type { ParseResult } from "@/lib/forms/fields";
import {
  parseDuplicateDecision,
  parseAssignment,
  parseCompletion,
  parseExtension,
  parseNote,
  parseQuestion,
  parseReason,
  parseStep,
} from "./staff-forms";

type Parse = (input: Record<string, string>) => ParseResult<unknown>;

const REF = "RD-7K3Q-9XWM";
const HUGE = "x".repeat(100_000);
const BIDI = "Please confirm \u202egnirts\u202c your address";

const NO_REFERENCE = { reference: "That is not a request reference." };
const NO_VERSION = { version: "The form is missing the request's version; reload the page." };
const QUESTION_REQUIRED = "Write the question to send to the supporter.";
const REASON_REQUIRED = "Give the reason; it is sent to the supporter.";

/** Each case: form name, parser, what was submitted, the full result expected. */
const CASES: Array<[string, Parse, Record<string, string>, ParseResult<unknown>]> = [
  // The target every versioned form carries.
  ["step", parseStep, { reference: REF, version: "3" }, { ok: true, value: { reference: REF, expectedVersion: 3 } }],
  ["step", parseStep, { reference: " rd-7k3q-9xwm ", version: "12" }, { ok: true, value: { reference: REF, expectedVersion: 12 } }],
  ["step", parseStep, { reference: REF, version: "0" }, { ok: true, value: { reference: REF, expectedVersion: 0 } }],
  ["step", parseStep, { version: "3" }, { ok: false, fieldErrors: NO_REFERENCE }],
  ["step", parseStep, { reference: "RD-7K3Q", version: "3" }, { ok: false, fieldErrors: NO_REFERENCE }],
  // I, L, O and U are not in a reference's alphabet.
  ["step", parseStep, { reference: "RD-7K3Q-9XWO", version: "3" }, { ok: false, fieldErrors: NO_REFERENCE }],
  ["step", parseStep, { reference: REF }, { ok: false, fieldErrors: NO_VERSION }],
  ["step", parseStep, { reference: REF, version: "" }, { ok: false, fieldErrors: NO_VERSION }],
  ["step", parseStep, { reference: REF, version: "abc" }, { ok: false, fieldErrors: NO_VERSION }],
  ["step", parseStep, { reference: REF, version: "-1" }, { ok: false, fieldErrors: NO_VERSION }],
  ["step", parseStep, { reference: REF, version: "1.5" }, { ok: false, fieldErrors: NO_VERSION }],
  ["step", parseStep, { reference: REF, version: "1e3" }, { ok: false, fieldErrors: NO_VERSION }],
  ["step", parseStep, { reference: REF, version: " 3" }, { ok: false, fieldErrors: NO_VERSION }],
  ["step", parseStep, { reference: REF, version: "1234567890" }, { ok: false, fieldErrors: NO_VERSION }],
  ["step", parseStep, {}, { ok: false, fieldErrors: { ...NO_REFERENCE, ...NO_VERSION } }],

  // Question.
  ["question", parseQuestion, { reference: REF, version: "2", question: "  Which address?\r\nThe old one?  " }, { ok: true, value: { reference: REF, expectedVersion: 2, question: "Which address?\nThe old one?" } }],
  ["question", parseQuestion, { reference: REF, version: "2" }, { ok: false, fieldErrors: { question: QUESTION_REQUIRED } }],
  ["question", parseQuestion, { reference: REF, version: "2", question: " \n " }, { ok: false, fieldErrors: { question: QUESTION_REQUIRED } }],
  ["question", parseQuestion, { reference: REF, version: "2", question: HUGE }, { ok: false, fieldErrors: { question: "The question must be 5,000 characters or fewer." } }],
  ["question", parseQuestion, { reference: REF, version: "2", question: "x".repeat(5000) }, { ok: true, value: { reference: REF, expectedVersion: 2, question: "x".repeat(5000) } }],
  ["question", parseQuestion, { reference: REF, version: "2", question: BIDI }, { ok: false, fieldErrors: { question: "The question contains hidden control characters; remove them and try again." } }],
  ["question", parseQuestion, { question: "Fine" }, { ok: false, fieldErrors: { ...NO_REFERENCE, ...NO_VERSION } }],
  ["question", parseQuestion, { reference: REF, question: "" }, { ok: false, fieldErrors: { ...NO_VERSION, question: QUESTION_REQUIRED } }],

  // Reason (refuse, cancel).
  ["reason", parseReason, { reference: REF, version: "4", reason: "A duplicate." }, { ok: true, value: { reference: REF, expectedVersion: 4, reason: "A duplicate." } }],
  ["reason", parseReason, { reference: REF, version: "4" }, { ok: false, fieldErrors: { reason: REASON_REQUIRED } }],
  ["reason", parseReason, { reference: REF, version: "4", reason: "" }, { ok: false, fieldErrors: { reason: REASON_REQUIRED } }],
  ["reason", parseReason, { reference: REF, version: "4", reason: HUGE }, { ok: false, fieldErrors: { reason: "The reason must be 5,000 characters or fewer." } }],
  ["reason", parseReason, { reference: REF, version: "x", reason: "A duplicate." }, { ok: false, fieldErrors: NO_VERSION }],

  // Extension: a reason and an amount (which extendDueDate checks against the regime).
  ["extension", parseExtension, { reference: REF, version: "4", reason: "Complex.", amount: "2" }, { ok: true, value: { reference: REF, expectedVersion: 4, reason: "Complex.", amount: "2" } }],
  ["extension", parseExtension, { reference: REF, version: "4", reason: "Complex.", amount: " 45 " }, { ok: true, value: { reference: REF, expectedVersion: 4, reason: "Complex.", amount: "45" } }],
  ["extension", parseExtension, { reference: REF, version: "4", reason: "Complex." }, { ok: false, fieldErrors: { amount: "Choose how much longer you need." } }],
  ["extension", parseExtension, { reference: REF, version: "4", reason: "Complex.", amount: "  " }, { ok: false, fieldErrors: { amount: "Choose how much longer you need." } }],
  ["extension", parseExtension, { reference: REF, version: "4", amount: "1" }, { ok: false, fieldErrors: { reason: REASON_REQUIRED } }],
  ["extension", parseExtension, { reference: REF, version: "4" }, { ok: false, fieldErrors: { reason: REASON_REQUIRED, amount: "Choose how much longer you need." } }],
  ["extension", parseExtension, { reference: REF, version: "4", reason: HUGE, amount: "1" }, { ok: false, fieldErrors: { reason: "The reason must be 5,000 characters or fewer." } }],
  ["extension", parseExtension, { reason: "Complex.", amount: "1" }, { ok: false, fieldErrors: { ...NO_REFERENCE, ...NO_VERSION } }],

  // Completion: the answer is optional here (a concern's answer is required by completeRequest).
  ["completion", parseCompletion, { reference: REF, version: "5" }, { ok: true, value: { reference: REF, expectedVersion: 5, answer: null } }],
  ["completion", parseCompletion, { reference: REF, version: "5", answer: "   " }, { ok: true, value: { reference: REF, expectedVersion: 5, answer: null } }],
  ["completion", parseCompletion, { reference: REF, version: "5", answer: "Here it is." }, { ok: true, value: { reference: REF, expectedVersion: 5, answer: "Here it is." } }],
  ["completion", parseCompletion, { reference: REF, version: "5", answer: HUGE }, { ok: false, fieldErrors: { answer: "The answer must be 10,000 characters or fewer." } }],
  ["completion", parseCompletion, { reference: REF, answer: "Here it is." }, { ok: false, fieldErrors: NO_VERSION }],

  // Internal note: no version (a note does not change the request).
  ["note", parseNote, { reference: REF, note: "Checked the CRM." }, { ok: true, value: { reference: REF, note: "Checked the CRM." } }],
  ["note", parseNote, { reference: REF, version: "9", note: "Checked the CRM." }, { ok: true, value: { reference: REF, note: "Checked the CRM." } }],
  ["note", parseNote, { reference: REF }, { ok: false, fieldErrors: { note: "Write the note." } }],
  ["note", parseNote, { reference: REF, note: "" }, { ok: false, fieldErrors: { note: "Write the note." } }],
  ["note", parseNote, { reference: REF, note: HUGE }, { ok: false, fieldErrors: { note: "The note must be 5,000 characters or fewer." } }],
  ["note", parseNote, { note: "Checked the CRM." }, { ok: false, fieldErrors: NO_REFERENCE }],

  // Assignment: empty means back to the team.
  ["assignment", parseAssignment, { reference: REF, version: "2", assignee: " Lee@Example.org " }, { ok: true, value: { reference: REF, expectedVersion: 2, assigneeEmail: "lee@example.org" } }],
  ["assignment", parseAssignment, { reference: REF, version: "2", assignee: "" }, { ok: true, value: { reference: REF, expectedVersion: 2, assigneeEmail: null } }],
  ["assignment", parseAssignment, { reference: REF, version: "2" }, { ok: true, value: { reference: REF, expectedVersion: 2, assigneeEmail: null } }],
  ["assignment", parseAssignment, { reference: REF, version: "2", assignee: "lee" }, { ok: false, fieldErrors: { assignee: "The assignee must be a valid address, like name@example.org." } }],
  ["assignment", parseAssignment, { reference: REF, version: "2", assignee: `${HUGE}@example.org` }, { ok: false, fieldErrors: { assignee: "The assignee must be 254 characters or fewer." } }],
  ["assignment", parseAssignment, { reference: REF, assignee: "lee@example.org" }, { ok: false, fieldErrors: NO_VERSION }],

  // A decision about a possible duplicate: the other request rides in a hidden field; a reason to keep both is optional.
  ["duplicate", parseDuplicateDecision, { reference: REF, version: "3", other: "rd-aaaa-bbbb" }, { ok: true, value: { reference: REF, expectedVersion: 3, otherReference: "RD-AAAA-BBBB", reason: null } }],
  [
    "duplicate",
    parseDuplicateDecision,
    { reference: REF, version: "3", other: "RD-AAAA-BBBB", reason: " Different accounts. " },
    { ok: true, value: { reference: REF, expectedVersion: 3, otherReference: "RD-AAAA-BBBB", reason: "Different accounts." } },
  ],
  ["duplicate", parseDuplicateDecision, { reference: REF, version: "3" }, { ok: false, fieldErrors: { other: "The form does not say which other request; reload the page." } }],
  ["duplicate", parseDuplicateDecision, { reference: REF, version: "3", other: "RD-AAAA-BBBB", reason: HUGE }, { ok: false, fieldErrors: { reason: "The reason must be 2,000 characters or fewer." } }],
];

describe("staff forms", () => {
  it.each(CASES.map(([name, parse, input, expected], i) => ({ i, name, parse, input, expected })))(
    "#$i $name form",
    ({ parse, input, expected }) => {
      expect(parse(input)).toEqual(expected);
    },
  );
});
