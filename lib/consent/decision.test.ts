import { describe, expect, it } from "vitest";
import type { ConsentRoute } from "@/db/schema";
import { decideList, importSubscription, type ListDecision, type ListFacts } from "./decision";

const JAN = new Date("2026-01-10T00:00:00Z");
const MAR = new Date("2026-03-10T00:00:00Z");
const JUN = new Date("2026-06-10T00:00:00Z");

const noRows: ListFacts["rows"] = { running: 0, ended: 0, lastEndedAt: null, firstSubscribedAt: null };
const running: ListFacts["rows"] = { running: 1, ended: 0, lastEndedAt: null, firstSubscribedAt: JAN };
const ended: ListFacts["rows"] = { running: 0, ended: 1, lastEndedAt: MAR, firstSubscribedAt: JAN };
const oneOfTwoEnded: ListFacts["rows"] = { running: 1, ended: 1, lastEndedAt: MAR, firstSubscribedAt: JAN };

const yes = (route: ConsentRoute, at = JUN) => ({ state: "granted" as const, at, route });
const no = (route: ConsentRoute, at = JUN) => ({ state: "withdrawn" as const, at, route });
const allOff = (route: ConsentRoute = "request", at = MAR) => ({ at, route });

describe("where an address stands on a list", () => {
  it.each<[string, ListFacts, Pick<ListDecision, "state" | "recorded"> & { since: Date | null }]>([
    ["nothing known: never on it", { choice: null, allLists: null, rows: noRows }, { state: "never", recorded: false, since: null }],
    ["a running subscription in the records, no choice recorded", { choice: null, allLists: null, rows: running }, { state: "on", recorded: false, since: JAN }],
    ["only ended subscriptions in the records", { choice: null, allLists: null, rows: ended }, { state: "off", recorded: false, since: MAR }],
    ["one of two records still subscribed", { choice: null, allLists: null, rows: oneOfTwoEnded }, { state: "on", recorded: false, since: JAN }],
    ["left on the page, whatever the records say", { choice: no("page"), allLists: null, rows: running }, { state: "off", recorded: true, since: JUN }],
    ["joined on the page, records running", { choice: yes("page"), allLists: null, rows: running }, { state: "on", recorded: true, since: JUN }],
    ["joined, then every subscription ended in the records since", { choice: yes("page"), allLists: null, rows: ended }, { state: "off", recorded: false, since: MAR }],
    ["imported yes with no subscription left to show it", { choice: yes("import"), allLists: null, rows: noRows }, { state: "on", recorded: true, since: JUN }],
    ["stopped every list, never on this one", { choice: null, allLists: allOff(), rows: noRows }, { state: "off", recorded: true, since: MAR }],
    ["stopped every list, then chose this one", { choice: yes("page"), allLists: allOff(), rows: running }, { state: "on", recorded: true, since: JUN }],
    ["stopped every list; a stray running row does not bring them back", { choice: null, allLists: allOff(), rows: running }, { state: "off", recorded: true, since: MAR }],
  ])("%s", (_what, facts, expected) => {
    expect(decideList(facts)).toMatchObject(expected);
  });

  it.each<[ConsentRoute, boolean]>([
    ["page", true],
    ["one_click", true],
    ["gpc", true],
    ["staff", true],
    ["request", true],
    ["import", false],
  ])("a yes by route %s counts as the person's own choice: %s", (route, byPerson) => {
    expect(decideList({ choice: yes(route), allLists: null, rows: running })).toMatchObject({ state: "on", byPerson });
  });
});

describe("what an import stores for a subscription row", () => {
  const on = (route: ConsentRoute | null, since = JUN): ListDecision =>
    route === null ? { state: "on", since, route: null, recorded: false, byPerson: false } : { state: "on", since, route, recorded: true, byPerson: route !== "import" };
  const off = (recorded: boolean, since: Date | null = MAR): ListDecision => ({ state: "off", since, route: recorded ? "page" : null, recorded, left: true });
  const never: ListDecision = { state: "never", since: null, route: null, recorded: false };
  const runningRow = { subscribedAt: JAN, unsubscribedAt: null };
  const endedRow = (at: Date) => ({ subscribedAt: JAN, unsubscribedAt: at });

  it.each<[string, ListDecision, { subscribedAt: Date; unsubscribedAt: Date | null }, { unsubscribedAt: Date | null } | null, ReturnType<typeof importSubscription>]>([
    ["a new address on a list: stored running, the organisation's consent recorded", never, runningRow, null, { unsubscribedAt: null, record: { state: "granted", at: JAN }, kept: null }],
    ["a new address that already left at the source: stored ended, recorded as left", never, endedRow(MAR), null, { unsubscribedAt: MAR, record: { state: "withdrawn", at: MAR }, kept: null }],
    ["on the list, the file agrees: nothing new to record", on("import"), runningRow, { unsubscribedAt: null }, { unsubscribedAt: null, record: null, kept: null }],
    ["on the list in the records only: the consent is recorded once", on(null, JAN), runningRow, { unsubscribedAt: null }, { unsubscribedAt: null, record: { state: "granted", at: JAN }, kept: null }],
    ["left through Rightsdesk, the file still has them on: kept off, never signed up again", off(true), runningRow, { unsubscribedAt: MAR }, { unsubscribedAt: MAR, record: null, kept: { why: "kept_off", since: MAR } }],
    ["left, a new row for the list in the file: kept off from when they left", off(true), runningRow, null, { unsubscribedAt: MAR, record: null, kept: { why: "kept_off", since: MAR } }],
    ["left before choices were recorded (ended rows only): kept off", off(false), runningRow, { unsubscribedAt: MAR }, { unsubscribedAt: MAR, record: null, kept: { why: "kept_off", since: MAR } }],
    ["left, and the file says so too: its date stands", off(true), endedRow(JAN), { unsubscribedAt: MAR }, { unsubscribedAt: JAN, record: null, kept: null }],
    ["ended rows only, the file says ended too: recorded as left", off(false), endedRow(MAR), { unsubscribedAt: MAR }, { unsubscribedAt: MAR, record: { state: "withdrawn", at: MAR }, kept: null }],
    ["on by import, the source ends it: an opt-out, honoured", on("import", JAN), endedRow(MAR), { unsubscribedAt: null }, { unsubscribedAt: MAR, record: { state: "withdrawn", at: MAR }, kept: null }],
    ["chose it again on the page after the end the file gives: their later choice stands", on("page", JUN), endedRow(MAR), { unsubscribedAt: null }, { unsubscribedAt: null, record: null, kept: { why: "kept_on", since: JUN } }],
    ["chose it on the page, then left at the source later: the later opt-out stands", on("page", JAN), endedRow(MAR), { unsubscribedAt: null }, { unsubscribedAt: MAR, record: { state: "withdrawn", at: MAR }, kept: null }],
  ])("%s", (_what, decision, row, stored, expected) => {
    expect(importSubscription(decision, row, stored)).toEqual(expected);
  });
});
