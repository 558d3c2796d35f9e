/**
 * Test helper: the outbox as it will be sent. Messages are rendered by the
 * worker when sent, so tests that read a queued message render it here, the
 * same way. Only tests import this.
 */
import type { OutboxMail } from "@/db/schema";
import { partsOf } from "@/lib/mail/deliver";
import type { MailBrand } from "@/lib/mail/render";
import { TEST_CONTEXT } from "./portal-context";

export const TEST_BRAND: MailBrand = { contactEmail: "privacy@test.example", logoUrl: null, appUrl: TEST_CONTEXT.appUrl };

export type RenderedOutboxMail = OutboxMail & { text: string; html: string };

export async function renderOutboxMail(mail: OutboxMail, brand: MailBrand = TEST_BRAND): Promise<RenderedOutboxMail> {
  return { ...mail, ...(await partsOf(mail, brand)) };
}

