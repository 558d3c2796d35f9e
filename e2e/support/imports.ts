/**
 * Uploading a file at /staff/import, as an admin does. Other tests upload
 * beside this one, and until the page follows the upload's own job (its
 * ?job=N) it shows the latest import, which may be theirs: a test that
 * waits for "Import complete" must first wait for its own job.
 */
import { expect, type Page } from "@playwright/test";

export async function uploadImport(page: Page, name: string, content: string | Buffer, options: { started?: boolean } = {}): Promise<void> {
  await page.goto("/staff/import");
  await page.getByLabel("CSV file").setInputFiles({ name, mimeType: "text/csv", buffer: typeof content === "string" ? Buffer.from(content, "utf8") : content });
  await page.getByRole("button", { name: "Import", exact: true }).click();
  // A file refused before any import starts (not UTF-8, empty) stays on the form, with no job to follow.
  if (options.started ?? true) await expect(page).toHaveURL(/\/staff\/import\?job=\d+$/, { timeout: 30_000 });
}
