import { randomBytes } from "node:crypto";
import { expect, signedInPage, test } from "./support/fixtures";
import { countRows, queryDatabase } from "./support/journeys";
import { uploadImport } from "./support/imports";

// Files as an organisation's spreadsheets and other systems save them, uploaded at /staff/import.

test("a file saved by a European spreadsheet imports: semicolons, a byte-order mark, CRLF, and the empty rows and columns it keeps", async ({ browser, uniqueEmail }) => {
  test.setTimeout(120_000);
  const tag = randomBytes(4).toString("hex");
  const admin = await signedInPage(browser, "admin@example.org");
  const lines = [
    "kind;external_id;supporter_external_id;email;name;postal_address;amount;currency;date;method;;",
    `supporter;E2E-S-${tag};;${uniqueEmail};Zoë Brontë-Ødegård;"3 Rue de l'Église\r\n75004 Paris";;;;;;`,
    `donation;E2E-D-${tag};E2E-S-${tag};;;;12.50;EUR;2025-03-01;bank_transfer;;`,
    ";;;;;;;;;;;",
    ";;;;;;;;;;;",
  ];
  await uploadImport(admin, `export-${tag}.csv`, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join("\r\n")}\r\n`, "utf8")]));
  const result = admin.getByRole("region", { name: "Import complete" });
  await expect(result).toBeVisible({ timeout: 30_000 });
  await expect(result.locator("dl.facts")).toContainText("Created2");
  expect(queryDatabase<{ name: string; postal_address: string }>("select name, postal_address from supporters where external_id = ?", `E2E-S-${tag}`)).toEqual([
    { name: "Zoë Brontë-Ødegård", postal_address: "3 Rue de l'Église\n75004 Paris" },
  ]);
  expect(queryDatabase<{ amount_minor: number; currency: string }>("select amount_minor, currency from donations where external_id = ?", `E2E-D-${tag}`)).toEqual([
    { amount_minor: 1250, currency: "EUR" },
  ]);
});

test("a file that is not UTF-8, or empty, is refused at once, naming the line and what to do, as npm run import says it", async ({ browser }) => {
  const tag = randomBytes(4).toString("hex");
  const admin = await signedInPage(browser, "admin@example.org");
  const header = "kind,external_id,email,name\r\n";
  const cases: [string, Buffer, string][] = [
    [
      // Excel's plain "CSV": accented letters in Windows-1252.
      `plain-${tag}.csv`,
      Buffer.concat([Buffer.from(`${header}supporter,E2E-A-${tag},a-${tag}@example.org,Ada\r\n`), Buffer.from(`supporter,E2E-Z-${tag},z-${tag}@example.org,Zoë\r\n`, "latin1")]),
      "Line 3: the file is not UTF-8 text: this line holds a character written in another encoding",
    ],
    [`unicode-${tag}.csv`, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${header}supporter,E2E-U-${tag},u-${tag}@example.org,Ümit\r\n`, "utf16le")]), "Line 1: the file is UTF-16 text"],
    [`empty-${tag}.csv`, Buffer.alloc(0), "Line 1: the file is empty; the first line must be the header."],
  ];
  for (const [name, bytes, message] of cases) {
    await uploadImport(admin, name, bytes, { started: false });
    // Said in the summary at the top of the form and beside the field itself, at once: no import is started for it.
    await expect(admin.locator(".error-summary"), name).toContainText(message);
    await expect(admin.locator(".field-error"), name).toContainText(message);
    expect(countRows("import_jobs", "filename = ?", name), name).toBe(0);
  }
  expect(countRows("supporters", "external_id like ?", `E2E-%-${tag}`)).toBe(0);
});
