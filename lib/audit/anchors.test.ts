import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventLogAnchors, requests } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { loadOrCreateSigningKey, type SigningKey } from "@/lib/settings/signing-key";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { anchorLine, appendAnchor, checkAnchors, parseAnchorLine, readAnchorFile, signAnchor, type AnchorRecord } from "./anchors";
import { appendEvent, chainHead, contentHash, eventHash, newSalt } from "./event-log";
import { verifyRecord } from "./verify-record";

const START = Date.parse("2026-03-02T09:00:00Z");
const DAY = 86_400_000;

describe("anchors of the log's head", () => {
  let t: TempDatabase;
  let key: SigningKey;
  let file: string;
  beforeEach(() => {
    t = openTempDatabase();
    key = loadOrCreateSigningKey(path.join(t.dir, "signing-key.pem"));
    file = path.join(t.dir, "anchors", "anchors.jsonl");
  });
  afterEach(() => t.close());

  const sql = (statement: string, ...params: unknown[]) => t.db.$client.prepare(statement).run(...params);

  /** `count` events on one request, appended the only legitimate way. */
  function seed(count: number, from = 1) {
    const id =
      t.db.select({ id: requests.id }).from(requests).get()?.id ??
      t.db
        .insert(requests)
        .values({
          reference: "RD-AAAA-AAAA",
          type: "concern",
          status: "received",
          subjectEmail: "ann@example.org",
          details: {},
          regime: "gdpr",
          receivedAt: new Date(START),
          receivedOn: "2026-03-02",
          dueOn: "2026-04-02",
          updatedAt: new Date(START),
        })
        .returning({ id: requests.id })
        .get().id;
    inTransaction(t.db, (tx) => {
      for (let i = from; i < from + count; i++) {
        appendEvent(tx, { requestId: id, at: new Date(START + i * 60_000), actorType: "staff", actorEmail: "lead@example.org", action: "note", fromStatus: null, toStatus: null, note: `Note ${i}` });
      }
    });
  }

  /** Signs the head as it is now, `days` after the start, and appends it to the file. */
  function anchorNow(days: number): AnchorRecord {
    const head = chainHead(t.db);
    const anchor = signAnchor(key, { kind: "anchor", ...head, signedAt: new Date(START + days * DAY) });
    appendAnchor(file, anchor);
    return anchor;
  }

  function check() {
    const { sources, unreadable } = readAnchorFile(file);
    return verifyRecord(t.db, { anchors: sources, unreadableAnchors: unreadable, publicKey: key.publicKey });
  }

  it("writes one line of JSON per anchor that reads back as signed", () => {
    seed(3);
    const anchor = anchorNow(1);
    const text = fs.readFileSync(file, "utf8");
    expect(text.endsWith("\n")).toBe(true);
    expect(text.split("\n")).toHaveLength(2);
    expect(JSON.parse(text)).toMatchObject({ type: "rightsdesk-anchor", version: 1, kind: "anchor", position: 3, key: key.publicKey.id });
    expect(parseAnchorLine(anchorLine(anchor))).toEqual(anchor);
    expect(parseAnchorLine(`  ${anchorLine(anchor)}\r\n`)).toEqual(anchor);
    expect(check()).toMatchObject({ problem: null });
    expect(check().notes[0]).toMatch(/^Checked against 1 anchor; the newest is the anchor signed on 3 March 2026, 09:00 UTC \(line 1 of .*anchors\.jsonl\), at event 3\.$/);
  });

  it.each(["", "hello", "{}", '{"type":"rightsdesk-anchor","version":2}', "[1,2,3]"])("does not take %j for an anchor", (text) => {
    expect(parseAnchorLine(text)).toBeNull();
  });

  it("says plainly when there is no anchor yet, and passes", () => {
    seed(2);
    const report = check();
    expect(report.problem).toBeNull();
    expect(report.notes[0]).toMatch(/^No anchor was found, so events cut off the end of the log/);
  });

  it("catches events cut off the end, naming the first one missing", () => {
    seed(5);
    anchorNow(1);
    sql("delete from request_events where id in (4, 5)");
    expect(check().problem).toMatch(
      /^The log ends at event 3, but the anchor signed on 3 March 2026, 09:00 UTC \(line 1 of .*\) covers event 5: events 4 to 5 were deleted\.$/,
    );
    sql("delete from request_events");
    expect(check().problem).toMatch(/^The log is empty, but the anchor signed on .* covers event 5: events 1 to 5 were deleted\.$/);
  });

  it("catches the last event alone cut off", () => {
    seed(5);
    anchorNow(1);
    sql("delete from request_events where id = 5");
    expect(check().problem).toMatch(/covers event 5: event 5 was deleted\.$/);
  });

  describe("the database's own copies of its anchors", () => {
    /** As the daily anchor signs: the line in the file, and a copy in the database. */
    function anchorAndKeep(days: number): AnchorRecord {
      const anchor = anchorNow(days);
      t.db.insert(eventLogAnchors).values({ ...anchor, reason: "daily" }).run();
      return anchor;
    }

    it("still catch events cut off the end when the anchor file is gone, and say so", () => {
      seed(5);
      anchorAndKeep(1);
      fs.rmSync(file);
      sql("delete from request_events where id in (4, 5)");
      expect(check().problem).toBe(
        "The log ends at event 3, but the anchor signed on 3 March 2026, 09:00 UTC (kept in the database as anchor 1) covers event 5: events 4 to 5 were deleted.",
      );
    });

    it("say that the anchor file lacks them, rather than that there is no anchor", () => {
      seed(3);
      anchorAndKeep(1);
      seed(2, 4);
      anchorAndKeep(2);
      expect(check()).toMatchObject({ problem: null, notes: [expect.stringMatching(/^Checked against 2 anchors; .*\(line 2 of /)] });
      // Cut short: the newest line is lost.
      fs.writeFileSync(file, fs.readFileSync(file, "utf8").split("\n")[0] + "\n");
      const report = check();
      expect(report.problem).toBeNull();
      expect(report.notes).toEqual([
        "1 anchor the database keeps a copy of is not in the anchor file (nor given by hand), so it was checked from the database's copy, the newest signed on 4 March 2026, 09:00 UTC: " +
          "the anchor file was moved, cut short or replaced, or ANCHOR_FILE does not name it.",
        "Checked against 2 anchors; the newest is the anchor signed on 4 March 2026, 09:00 UTC (kept in the database as anchor 2), at event 5.",
      ]);
    });

    it("cannot be forged by someone with the database alone", () => {
      seed(3);
      const anchor = anchorAndKeep(1);
      fs.rmSync(file);
      sql("update event_log_anchors set position = 2 where signature = ?", anchor.signature);
      expect(check().problem).toBe("The anchor signed on 3 March 2026, 09:00 UTC (kept in the database as anchor 1) does not carry this organisation's signature: it was altered or forged.");
    });
  });

  /** Edits event `id`'s note and recomputes its commitment and every later hash: what someone with the database but not the key can do. */
  function rewriteFrom(id: number) {
    const rows = t.db.$client.prepare("select * from request_events where id >= ? order by id").all(id) as Array<Record<string, unknown>>;
    let prev = (t.db.$client.prepare("select hash from request_events where id = ?").pluck().get(id - 1) as string | undefined) ?? "";
    for (const row of rows) {
      const note = row.id === id ? "Nothing to see here" : (row.note as string | null);
      const salt = newSalt();
      const fields = {
        id: row.id as number,
        prevHash: prev,
        requestId: row.request_id as number,
        at: new Date(row.at as number),
        actorType: row.actor_type as "staff",
        actorEmail: row.actor_email as string | null,
        action: row.action as string,
        fromStatus: null,
        toStatus: null,
        statusAfter: row.status_after as "received",
        dueOnAfter: row.due_on_after as string,
        assigneeAfter: row.assignee_after as string | null,
        contentHash: contentHash(salt, note),
        identityHash: row.identity_hash as string | null,
      };
      prev = eventHash(fields);
      sql("update request_events set note = ?, content_salt = ?, content_hash = ?, prev_hash = ?, hash = ? where id = ?", note, salt, fields.contentHash, fields.prevHash, prev, row.id);
    }
  }

  it("lets a full rewrite pass the chain alone, but not the anchor, and names where it can have started", () => {
    seed(4);
    anchorNow(1);
    seed(4, 5);
    anchorNow(2);
    rewriteFrom(6);
    // Without the anchors the rewritten chain is consistent: that is exactly the attack.
    expect(verifyRecord(t.db, { anchors: [], publicKey: key.publicKey }).problem).toBeNull();
    expect(check().problem).toMatch(
      /^Event 8 does not match the anchor signed on 4 March 2026, 09:00 UTC \(line 2 of .*\): the log was rewritten after it was anchored, starting at one of events 5 to 8; the anchor signed on 3 March 2026, 09:00 UTC \(line 1 of .*\), at event 4, still matches\.$/,
    );
  });

  it("names the very event when the anchor before it is at the event before", () => {
    seed(4);
    anchorNow(1);
    seed(1, 5);
    anchorNow(2);
    rewriteFrom(5);
    expect(check().problem).toMatch(/^Event 5 does not match the anchor signed on 4 March .*: the log was rewritten after it was anchored, starting at event 5\.$/);
  });

  it("catches a rewrite of the first events when the only anchor is later", () => {
    seed(6);
    anchorNow(1);
    rewriteFrom(2);
    expect(check().problem).toMatch(/^Event 6 does not match the anchor .*: the log was rewritten after it was anchored, starting at one of events 1 to 6\.$/);
  });

  it("keeps verifying as events are added after the newest anchor", () => {
    seed(3);
    anchorNow(1);
    seed(3, 4);
    expect(check()).toMatchObject({ problem: null, chain: { events: 6 } });
  });

  describe("refuses an anchor file someone else wrote", () => {
    it("an anchor with a changed position, hash or time", () => {
      seed(5);
      const anchor = anchorNow(1);
      for (const forged of [
        { ...anchor, position: 3 },
        { ...anchor, hash: "0".repeat(64) },
        { ...anchor, signedAt: new Date(anchor.signedAt.getTime() + 1) },
      ]) {
        fs.writeFileSync(file, `${anchorLine(forged)}\n`);
        expect(check().problem).toMatch(/^The anchor signed on .* \(line 1 of .*\) does not carry this organisation's signature: it was altered or forged\.$/);
      }
    });

    it("an anchor signed with another key", () => {
      seed(2);
      const other = loadOrCreateSigningKey(path.join(t.dir, "other.pem"));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `${anchorLine(signAnchor(other, { kind: "anchor", ...chainHead(t.db), signedAt: new Date(START) }))}\n`);
      expect(check().problem).toMatch(new RegExp(`was signed with another key \\(${other.publicKey.id}\\), not this organisation's \\(${key.publicKey.id}\\)`));
    });

    it("a damaged line", () => {
      seed(2);
      anchorNow(1);
      fs.appendFileSync(file, '{"type":"rightsdesk-anchor","position":9}\n');
      expect(check().problem).toMatch(/^Line 2 of .*anchors\.jsonl is not an anchor: the anchor file was damaged or edited\.$/);
    });

    it("and cannot check anchors without the public key", () => {
      seed(2);
      anchorNow(1);
      const { sources } = readAnchorFile(file);
      expect(verifyRecord(t.db, { anchors: sources, publicKey: null }).cannotCheck).toMatch(/^The anchors cannot be checked without the organisation's public key/);
    });
  });

  it("after a restore to an earlier backup, expects the restored log, and says what was given up", () => {
    seed(3);
    anchorNow(1);
    const backupHead = chainHead(t.db);
    seed(3, 4);
    anchorNow(2);
    // The database goes back to the backup taken at event 3, and the restore is signed.
    sql("delete from request_events where id > 3");
    appendAnchor(file, signAnchor(key, { kind: "restored", ...backupHead, signedAt: new Date(START + 3 * DAY) }));
    seed(2, 4);
    const report = check();
    expect(report.problem).toBeNull();
    expect(report.notes).toContainEqual(expect.stringMatching(/^Events after 3, anchored by the anchor signed on 4 March 2026, 09:00 UTC \(line 2 of .*\), were given up when the database was restored to event 3: see the restore record signed on 5 March 2026, 09:00 UTC \(line 3 of .*\)\.$/));

    // The anchors from before the restore still bind the events the backup held.
    rewriteFrom(2);
    expect(check().problem).toMatch(/^Event 3 does not match the anchor signed on 3 March/);
  });

  it("checkAnchors orders anchors by when they were signed, whatever their order in the file", () => {
    seed(3);
    const head = chainHead(t.db);
    const later = signAnchor(key, { kind: "restored", position: 1, hash: "a".repeat(64), signedAt: new Date(START + 2 * DAY) });
    const earlier = signAnchor(key, { kind: "anchor", ...head, signedAt: new Date(START + DAY) });
    const result = checkAnchors(
      [
        { where: "line 1", anchor: later },
        { where: "line 2", anchor: earlier },
      ],
      key.publicKey,
    );
    expect(result).toMatchObject({ ok: true, points: [{ position: 1 }], givenUp: [{ anchor: { where: "line 2" }, restore: { where: "line 1" } }] });
  });
});
