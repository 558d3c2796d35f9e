import { describe, expect, it } from "vitest";
import { contentHash, eventHash, type ChainedFields } from "./event-log";
import { identityHash, type RequestIdentity } from "./request-identity";
import { sha256Hex, sha256HexByHashObject } from "./sha256";

/**
 * The record's hashes, pinned: every database already written holds hashes
 * made by these rules, so any change in how they are computed, however
 * harmless it looks, must give exactly these bytes or every existing record
 * stops verifying. (The first was checked with `sha256sum` of the JSON text.)
 */
const EVENT: ChainedFields = {
  id: 42,
  prevHash: "ab".repeat(32),
  requestId: 7,
  at: new Date(Date.UTC(2025, 2, 2, 9, 0, 0, 123)),
  actorType: "staff",
  actorEmail: "lead@example.org",
  action: "approved",
  fromStatus: "in_review",
  toStatus: "approved",
  statusAfter: "approved",
  dueOnAfter: "2025-04-01",
  assigneeAfter: "lead@example.org",
  contentHash: "cd".repeat(32),
  identityHash: null,
};

const IDENTITY: RequestIdentity = {
  reference: "RD-ABCD-EFGH",
  type: "correction",
  subjectEmail: "ada.adams1@example.org",
  subjectName: "Ada Adams",
  details: JSON.stringify({ type: "correction", changes: { postalAddress: "12 Harbour Row" }, note: "Straße ☃" }),
  language: "en",
  channel: "web",
  identityCheck: null,
  regime: "gdpr",
  receivedAt: 1740906000123,
  receivedOn: "2025-03-02",
  intakeId: null,
};

describe("the record's hash rules give the same bytes as ever", () => {
  it.each([
    ["a note's commitment, no note", () => contentHash("00112233445566778899aabbccddeeff", null), "ddf8428cbbce8b74ec31b865d172eff8bb3253a6e96d979921b44293158828fc"],
    ["a note's commitment, a note", () => contentHash("00112233445566778899aabbccddeeff", "Done: see the attached summary."), "9547597ef82bbedcf63ac0f6ee7313b66c13f81b4804ef61a9961aa059b63f2e"],
    [
      "a note's commitment, accents, quotes, an emoji and a line separator",
      () => contentHash("ffeeddccbbaa99887766554433221100", "Ça coûte 5 € — \"quoted\" \\ and 😀 and \u2028"),
      "97fc930b9d72cc9af3ce5c6a244cefb9c61fbd9965f0c14859c40cd02c9bb2d1",
    ],
    ["an event without the request's identity", () => eventHash(EVENT), "ce527fdf938e730b4745c79353f73fe648694e024d26a2c333bc1b5c4a2dd83c"],
    [
      "a first event, with the identity and an accented address",
      () =>
        eventHash({
          ...EVENT, id: 1, prevHash: "", actorType: "supporter", actorEmail: "zoë@example.org", action: "filed", fromStatus: null, toStatus: "received",
          statusAfter: "received", assigneeAfter: null, identityHash: "ef".repeat(32),
        }),
      "8ac9344e3ed0ee47b6054e6a3b222698ce2698809739ee882ccaf7c6e85c3834",
    ],
    ["what a request is", () => identityHash("0123456789abcdef0123456789abcdef", IDENTITY), "d3bea0beb6de91bda645f0ab269fa6f88168d0efd2834f515ce1792be65a55bb"],
  ])("%s", (_what, hash, expected) => {
    expect(hash()).toBe(expected);
  });
});

/** Node 20.9 to 20.11 lack `crypto.hash` and hash with a Hash object: the same bytes either way. */
describe("SHA-256 in one call and by a Hash object agree", () => {
  it.each([
    ["nothing", ""],
    ["plain text", '["rightsdesk-event/2",1,"",7]'],
    ["accents, an emoji, a line separator and a lone surrogate", "zoë 😀 \u2028 \ud800 €"],
    ["a long text", "x".repeat(100_000)],
  ])("%s", (_what, text) => {
    expect(sha256Hex(text)).toBe(sha256HexByHashObject(text));
  });
});
