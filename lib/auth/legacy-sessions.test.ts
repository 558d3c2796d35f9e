import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrateDatabase } from "@/db/migrate";
import { sessions, users } from "@/db/schema";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { convertLegacySessions } from "./legacy-sessions";
import { loadViewer } from "./load-viewer";
import { liveSessionsOf, sessionHandle, storedSessionToken } from "./sessions";

const now = new Date("2026-05-04T10:00:00Z");
const HOUR = 3_600_000;
const UUID = "5b0c2d0e-8a6f-4c1e-9d7a-2f3b4c5d6e7f";
const HASHED = storedSessionToken("9e1f6a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b");

describe("converting sessions stored before tokens were hashed", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
    t.db.insert(users).values({ id: "u-ann", email: "ann@example.org" }).run();
  });
  afterEach(() => t.close());

  /** Writes a row as an older release did: the value given goes in as it is. */
  const keep = (...values: string[]) =>
    t.db.insert(sessions).values(values.map((sessionToken) => ({ sessionToken, userId: "u-ann", expires: new Date(now.getTime() + HOUR), createdAt: now }))).run();
  const storedValues = () => t.db.select({ value: sessions.sessionToken }).from(sessions).all().map((r) => r.value).sort();

  it.each([
    { what: "a next-auth or portal token (a UUID)", before: UUID, after: storedSessionToken(UUID) },
    { what: "any other token", before: "lead-token", after: storedSessionToken("lead-token") },
    { what: "64 characters that are not hex", before: "z".repeat(64), after: storedSessionToken("z".repeat(64)) },
    { what: "a hash already", before: HASHED, after: HASHED },
  ])("$what: converted to its stored form, once", ({ before, after }) => {
    keep(before);
    expect(convertLegacySessions(t.db)).toBe(before === after ? 0 : 1);
    expect(storedValues()).toEqual([after]);
  });

  it("converts every plaintext row, leaves the hashed ones, and changes nothing when run again", () => {
    keep(UUID, "lead-token", HASHED);
    expect(convertLegacySessions(t.db)).toBe(2);
    const converted = storedValues();
    expect(converted).toEqual([storedSessionToken(UUID), storedSessionToken("lead-token"), HASHED].sort());
    expect(convertLegacySessions(t.db)).toBe(0);
    migrateDatabase(t.db);
    expect(storedValues()).toEqual(converted);
  });

  it("a session started before the upgrade still signs its browser in after it, under the same handle", () => {
    keep(UUID);
    // Before the conversion the new code finds no session for the old row...
    expect(loadViewer(t.db, UUID, now)).toBeNull();
    // ...the upgrade (migration at start-up) converts it...
    migrateDatabase(t.db);
    // ...and the cookie the browser already has works again, while the value in the database does not.
    expect(loadViewer(t.db, UUID, now)).toEqual({ userId: "u-ann", email: "ann@example.org", role: "supporter" });
    expect(loadViewer(t.db, storedSessionToken(UUID), now)).toBeNull();
    expect(liveSessionsOf(t.db, { email: "ann@example.org", now, idleMs: null, currentToken: UUID })).toMatchObject([{ handle: sessionHandle(UUID), current: true }]);
  });

  it("does nothing to a database with no sessions", () => {
    expect(convertLegacySessions(t.db)).toBe(0);
    expect(storedValues()).toEqual([]);
  });
});
