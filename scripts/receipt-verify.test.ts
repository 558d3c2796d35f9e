import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signReceipt } from "@/lib/record/receipts";
import { loadOrCreateSigningKey, type SigningKey } from "@/lib/settings/signing-key";
import { scriptSandbox, type ScriptSandbox } from "@/lib/testing/run-script";

const FACTS = {
  organisation: "Harbour Trust",
  portal: "https://rights.example.org",
  reference: "RD-7K3Q-9XWM",
  type: "access",
  received: "2026-03-02",
  due: "2026-04-02",
  closed: "2026-03-20",
  outcome: "completed",
  deleted: [],
  kept: ["This request's type, dates and outcome, in Rightsdesk, for the organisation's statistics; its other details until 2029-03-20"],
  systems: [],
  position: 42,
};

describe("npm run receipt:verify", () => {
  let box: ScriptSandbox;
  let key: SigningKey;
  beforeAll(() => {
    box = scriptSandbox();
    key = loadOrCreateSigningKey(path.join(box.dir, "signing-key.pem"));
  });
  afterAll(() => box.remove());
  const run = (...args: string[]) => box.run("scripts/receipt-verify.ts", args);

  it("says a receipt is genuine, and what it says, against this installation's key", () => {
    const file = box.write("receipt.txt", signReceipt(key, FACTS));
    const result = run(file);
    expect(result.status).toBe(0);
    expect(result.stdout.split("\n").slice(0, 4)).toEqual([
      `This receipt is genuine: it was signed with the key ${key.publicKey.id}, and nothing in it was changed since.`,
      "Organisation: Harbour Trust",
      "Portal: https://rights.example.org",
      "Reference: RD-7K3Q-9XWM",
    ]);
  });

  it("refuses it with one character changed", () => {
    const file = box.write("changed.txt", signReceipt(key, FACTS).replace("Outcome: completed", "Outcome: completes"));
    const result = run(file);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe("This receipt does not match its signature: something in it was changed after it was issued, or it was not issued by this organisation.");
  });

  it("checks against a published public key, as someone without the server would", () => {
    const published = box.write("org-key.pem", key.publicKey.pem);
    const file = box.write("receipt2.txt", signReceipt(key, FACTS));
    expect(run(file, "--public-key", published).status).toBe(0);
    expect(box.run("scripts/receipt-verify.ts", [file, "--public-key", published], { SIGNING_KEY_FILE: path.join(box.dir, "none.pem") }).status).toBe(0);
    const other = loadOrCreateSigningKey(path.join(box.dir, "other.pem"));
    const wrongKey = box.write("wrong.pem", other.publicKey.pem);
    expect(run(file, "--public-key", wrongKey)).toMatchObject({ status: 1, stderr: expect.stringMatching(/^This receipt was signed with the key/) });
  });

  it("says what to give it when it cannot check", () => {
    expect(run()).toMatchObject({ status: 2, stderr: expect.stringMatching(/^Use: npm run receipt:verify -- FILE/) });
    expect(run(path.join(box.dir, "missing.txt"))).toMatchObject({ status: 2, stderr: expect.stringMatching(/could not be read/) });
    const file = box.write("receipt3.txt", signReceipt(key, FACTS));
    expect(box.run("scripts/receipt-verify.ts", [file], { SIGNING_KEY_FILE: path.join(box.dir, "none.pem") })).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/^There is no signing key at .*none\.pem; set SIGNING_KEY_FILE to the key file\. Or give the organisation's published key with --public-key KEY\.pem\./),
    });
  });
});
