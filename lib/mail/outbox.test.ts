import { asc } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mailOutbox } from "@/db/schema";
import { inTransaction } from "@/db/transaction";
import { openTempDatabase, type TempDatabase } from "@/lib/testing/temp-database";
import { enqueueMail, enqueueMails, type MailToSend } from "./outbox";
import { signInMail } from "@/lib/mail/emails/sign-in";

const APP = "https://rights.example.org";
const NOW = new Date("2026-11-22T10:00:00Z");

function mailTo(to: string): MailToSend {
  return { ...signInMail.draft({ orgName: "Test Org", link: `${APP}/x`, linkMinutes: 30 }), to, kind: "sign-in" };
}

describe("the outbox", () => {
  let t: TempDatabase;
  beforeEach(() => {
    t = openTempDatabase();
  });
  afterEach(() => t.close());
  const rows = () => t.db.select().from(mailOutbox).orderBy(asc(mailOutbox.id)).all();

  it.each([0, 1, 3, 500, 501, 1201])("queues %i messages in order, each pending with its own Message-ID, and returns their ids", (n) => {
    const addresses = Array.from({ length: n }, (_, i) => `staff${i}@example.org`);
    const ids = enqueueMails(t.db, addresses.map(mailTo), { now: NOW, appUrl: APP });
    const stored = rows();
    expect(ids).toEqual(stored.map((r) => r.id));
    expect(stored.map((r) => r.toAddress)).toEqual(addresses);
    expect(new Set(stored.map((r) => r.messageId)).size).toBe(n);
    for (const row of stored) {
      expect(row).toMatchObject({ status: "pending", attempts: 0, template: "sign-in", textBody: "", nextAttemptAt: NOW, createdAt: NOW });
      expect(row.messageId).toMatch(/^<[0-9a-f-]{36}@rights\.example\.org>$/);
    }
  });

  it("gives messages Message-IDs in the order they were queued, so each new one goes at the end of their index", () => {
    // Queued one at a time and in batches: the ids sort as the rows were made, within one millisecond too.
    for (let batch = 0; batch < 50; batch++) enqueueMails(t.db, [mailTo(`a${batch}@example.org`), mailTo(`b${batch}@example.org`)], { now: NOW, appUrl: APP });
    for (let one = 0; one < 100; one++) enqueueMail(t.db, mailTo(`c${one}@example.org`), { now: NOW, appUrl: APP });
    const ids = rows().map((r) => r.messageId);
    expect(ids).toHaveLength(200);
    expect([...ids].sort()).toEqual(ids);
  });

  it("queues one message the same way, and returns its id", () => {
    const id = enqueueMail(t.db, { ...mailTo("ann@example.org"), requestId: undefined, sensitive: true }, { now: NOW, appUrl: APP });
    expect(rows()).toEqual([expect.objectContaining({ id, toAddress: "ann@example.org", sensitive: true, requestId: null })]);
  });

  it("writes nothing when a message in the batch cannot be stored", () => {
    const broken = { ...mailTo("bob@example.org"), requestId: 999_999 };
    expect(() => inTransaction(t.db, (tx) => enqueueMails(tx, [mailTo("ann@example.org"), broken], { now: NOW, appUrl: APP }))).toThrow();
    expect(rows()).toEqual([]);
  });
});
