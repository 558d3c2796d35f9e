import { createHmac } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Executor } from "@/db/connection";
import { suppressions } from "@/db/schema";
import { normalizeEmail } from "@/lib/vocabulary/email-address";

/**
 * The keyed hash an erased address is remembered by. Keyed with the
 * installation's secret, so the list cannot be checked against a list of
 * addresses by anyone who copies the database alone.
 */
export function suppressionHash(email: string, secret: string): string {
  return createHmac("sha256", secret).update(`suppression:${normalizeEmail(email)}`).digest("hex");
}

export function isSuppressed(tx: Executor, email: string, secret: string): boolean {
  return tx.select({ id: suppressions.id }).from(suppressions).where(eq(suppressions.emailHash, suppressionHash(email, secret))).get() !== undefined;
}

export function suppress(tx: Executor, input: { email: string; secret: string; reason: string; now: Date }): void {
  tx.insert(suppressions)
    .values({ emailHash: suppressionHash(input.email, input.secret), reason: input.reason, addedAt: input.now })
    .onConflictDoNothing()
    .run();
}
