/**
 * Anchors: the log's head (position and hash) at a moment, signed with the
 * organisation's key and kept outside the database, appended to ANCHOR_FILE
 * and emailed to the admins. Someone able to edit the database can cut
 * events off the end or rewrite the log and recompute every hash; they
 * cannot make the events match an anchor signed before, nor sign a new one
 * without the key file.
 *
 * One anchor is one line of JSON:
 *   {"type":"rightsdesk-anchor","version":1,"kind":"anchor","position":57,
 *    "hash":"…","signedAt":"2026-03-02T09:00:00.000Z","key":"…","signature":"…"}
 * The signature covers the kind, position, hash and time (`anchorPayload`).
 * A "restored" line records that the database was put back to an earlier
 * backup ending at `position`: anchors before it beyond that position
 * describe events that restore gave up, and are no longer expected.
 */
import fs from "node:fs";
import path from "node:path";
import { asc } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/connection";
import { eventLogAnchors } from "@/db/schema";
import { signText, verifyText, type PublicKey, type SigningKey } from "@/lib/settings/signing-key";
import { describeInstant, type AnchorPoint } from "./verify-chain";

export const ANCHOR_KINDS = ["anchor", "restored"] as const;
export type AnchorKind = (typeof ANCHOR_KINDS)[number];

export type AnchorRecord = {
  kind: AnchorKind;
  position: number;
  hash: string;
  signedAt: Date;
  keyId: string;
  signature: string;
};

/** Exactly what is signed. */
export function anchorPayload(anchor: Pick<AnchorRecord, "kind" | "position" | "hash" | "signedAt">): string {
  return JSON.stringify(["rightsdesk-anchor/1", anchor.kind, anchor.position, anchor.hash, anchor.signedAt.toISOString()]);
}

export function signAnchor(key: SigningKey, head: { kind: AnchorKind; position: number; hash: string; signedAt: Date }): AnchorRecord {
  return { ...head, keyId: key.publicKey.id, signature: signText(key, anchorPayload(head)) };
}

/** The anchor as its one line (no newline). */
export function anchorLine(anchor: AnchorRecord): string {
  return JSON.stringify({
    type: "rightsdesk-anchor",
    version: 1,
    kind: anchor.kind,
    position: anchor.position,
    hash: anchor.hash,
    signedAt: anchor.signedAt.toISOString(),
    key: anchor.keyId,
    signature: anchor.signature,
  });
}

const lineSchema = z.object({
  type: z.literal("rightsdesk-anchor"),
  version: z.literal(1),
  kind: z.enum(ANCHOR_KINDS),
  position: z.number().int().nonnegative(),
  hash: z.string().regex(/^([0-9a-f]{64})?$/),
  signedAt: z.iso.datetime(),
  key: z.string().regex(/^[0-9a-f]{16}$/),
  signature: z.string(),
});

/** Reads one anchor line (as written, or pasted from an email); null when it is not one. */
export function parseAnchorLine(text: string): AnchorRecord | null {
  let json: unknown;
  try {
    json = JSON.parse(text.trim());
  } catch {
    return null;
  }
  const parsed = lineSchema.safeParse(json);
  if (!parsed.success) return null;
  const line = parsed.data;
  return { kind: line.kind, position: line.position, hash: line.hash, signedAt: new Date(line.signedAt), keyId: line.key, signature: line.signature };
}

/**
 * Appends an anchor to the file (creating it and its folder), and waits
 * until it is on disk: an anchor that a crash could lose protects nothing.
 */
export function appendAnchor(file: string, anchor: AnchorRecord): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, "a", 0o644);
  try {
    fs.writeSync(fd, `${anchorLine(anchor)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** An anchor and where it was found, for sentences ("line 3 of /srv/anchors.jsonl"). */
export type AnchorSource = { where: string; anchor: AnchorRecord };

/**
 * Every anchor in a file; a missing file holds none. A line that is not an
 * anchor is reported by `where`, since an anchor file is written only by
 * Rightsdesk and a damaged line may be a damaged anchor.
 */
export function readAnchorFile(file: string): { sources: AnchorSource[]; unreadable: string[] } {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { sources: [], unreadable: [] };
    throw error;
  }
  const sources: AnchorSource[] = [];
  const unreadable: string[] = [];
  text.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    const anchor = parseAnchorLine(line);
    const where = `line ${index + 1} of ${file}`;
    if (anchor) sources.push({ where, anchor });
    else unreadable.push(where);
  });
  return { sources, unreadable };
}

/**
 * The copies of every anchor (and restore record) the database keeps, each
 * signed like the line in the anchor file. Someone able to edit the database
 * can delete them, but cannot forge one: they let the check still catch a
 * log cut short or rewritten when the anchor file is missing, moved or cut
 * short itself, or ANCHOR_FILE names the wrong place.
 */
export function storedAnchors(db: Db): AnchorSource[] {
  // A kind edited in the database fails the signature below, which covers it.
  return db
    .select()
    .from(eventLogAnchors)
    .orderBy(asc(eventLogAnchors.id))
    .all()
    .map((row) => ({
      where: `kept in the database as anchor ${row.id}`,
      anchor: { kind: row.kind, position: row.position, hash: row.hash, signedAt: row.signedAt, keyId: row.keyId, signature: row.signature },
    }));
}

/** How a sentence names an anchor. */
export function anchorLabel(source: AnchorSource): string {
  const what = source.anchor.kind === "restored" ? "the restore record" : "the anchor";
  return `${what} signed on ${describeInstant(source.anchor.signedAt)} (${source.where})`;
}

export type AnchorCheck =
  | {
      ok: true;
      /** What the chain must match, restores taken into account. */
      points: AnchorPoint[];
      /** The newest anchor, if any. */
      newest: AnchorSource | null;
      /** Anchored positions a restore gave up, with the restore that did. */
      givenUp: Array<{ anchor: AnchorSource; restore: AnchorSource }>;
    }
  | { ok: false; message: string };

/**
 * Checks each anchor's signature against the organisation's public key, and
 * works out what the chain must match: anchors are taken in the order they
 * were signed, and a restore record sets aside earlier anchors beyond the
 * position it restored to.
 */
export function checkAnchors(sources: readonly AnchorSource[], publicKey: PublicKey, unreadable: readonly string[] = []): AnchorCheck {
  if (unreadable.length > 0) {
    return { ok: false, message: `${capitalise(unreadable[0]!)} is not an anchor: the anchor file was damaged or edited.` };
  }
  for (const source of sources) {
    const { anchor } = source;
    if (anchor.keyId !== publicKey.id) {
      return {
        ok: false,
        message: `${capitalise(anchorLabel(source))} was signed with another key (${anchor.keyId}), not this organisation's (${publicKey.id}): it was written by someone else, or the signing key was replaced.`,
      };
    }
    if (!verifyText(publicKey, anchorPayload(anchor), anchor.signature)) {
      return { ok: false, message: `${capitalise(anchorLabel(source))} does not carry this organisation's signature: it was altered or forged.` };
    }
  }
  const ordered = [...sources].sort((a, b) => a.anchor.signedAt.getTime() - b.anchor.signedAt.getTime());
  let kept: AnchorSource[] = [];
  const givenUp: Array<{ anchor: AnchorSource; restore: AnchorSource }> = [];
  for (const source of ordered) {
    if (source.anchor.kind === "restored") {
      const position = source.anchor.position;
      for (const earlier of kept) if (earlier.anchor.position > position) givenUp.push({ anchor: earlier, restore: source });
      kept = kept.filter((earlier) => earlier.anchor.position <= position);
    }
    kept.push(source);
  }
  return {
    ok: true,
    points: kept.map((source) => ({ position: source.anchor.position, hash: source.anchor.hash, signedAt: source.anchor.signedAt, label: anchorLabel(source) })),
    newest: ordered.at(-1) ?? null,
    givenUp,
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
