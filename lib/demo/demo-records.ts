/**
 * Realistic fake supporter records for trying Rightsdesk out. Generated from
 * a fixed seed, so every run produces the same records and re-seeding finds
 * them unchanged. All addresses are at example.org, which cannot receive mail.
 */
import { Faker, base, en, en_GB } from "@faker-js/faker";
import type { ImportRecord } from "@/lib/supporters/import/parse-rows";

export const DEMO_PREFIX = "demo-";
export const DEMO_SUPPORTERS = 200;

const LISTS = ["alerts", "newsletter", "events"] as const;
const PETITIONS = [
  "Protect the right to protest",
  "Free the imprisoned journalists",
  "End arms sales to abusive regimes",
  "Safe passage for refugees",
  "Stop facial recognition in public spaces",
];
const PLANS = ["Standard", "Concession", "Family", "Life"];
const PAGES = ["/", "/donate", "/campaigns", "/campaigns/protest", "/about", "/join", "/news", "/petitions/journalists"];
const REFERRERS = [null, "https://www.google.com/", "https://duckduckgo.com/", "https://news.example.net/story", "https://social.example.com/"];
const METHODS = ["card", "card", "card", "direct_debit", "bank_transfer", "cheque", "paypal", "cash"] as const;

/** Every demo record, supporters first, each with a stable `demo-` external id. */
export function demoRecords(count = DEMO_SUPPORTERS): ImportRecord[] {
  const faker = new Faker({ locale: [en_GB, en, base] });
  faker.seed(20_261_122);
  // A fixed "today" keeps the dates the same from one run to the next.
  const refDate = new Date("2026-11-01T12:00:00Z");
  const records: ImportRecord[] = [];
  const iso = (d: Date) => d.toISOString().slice(0, 10);

  for (let i = 1; i <= count; i++) {
    const n = String(i).padStart(3, "0");
    const id = `${DEMO_PREFIX}supporter-${n}`;
    const first = faker.person.firstName();
    const last = faker.person.lastName();
    const email = `${first}.${last}.${n}`.toLowerCase().replace(/[^a-z0-9.]/g, "") + "@example.org";
    records.push({
      kind: "supporter",
      externalId: id,
      email,
      name: `${first} ${last}`,
      postalAddress: faker.datatype.boolean(0.8) ? `${faker.location.streetAddress()}\n${faker.location.city()}\n${faker.location.zipCode()}` : null,
      phone: faker.datatype.boolean(0.5) ? faker.phone.number({ style: "national" }) : null,
    });
    const own = { supporterExternalId: id };

    const donationCount = faker.number.int({ min: 0, max: 4 });
    for (let d = 0; d < donationCount; d++) {
      const method = faker.helpers.arrayElement(METHODS);
      records.push({
        kind: "donation",
        externalId: `${DEMO_PREFIX}donation-${n}-${d}`,
        ...own,
        amountMinor: faker.helpers.arrayElement([500, 1000, 1500, 2500, 5000, 10000]) + (faker.datatype.boolean(0.2) ? 50 : 0),
        currency: "GBP",
        donatedOn: iso(faker.date.past({ years: 5, refDate })),
        method,
        // Only ever the last four digits.
        cardLast4: method === "card" ? faker.string.numeric(4) : null,
      });
    }
    if (faker.datatype.boolean(0.3)) {
      const started = faker.date.past({ years: 6, refDate });
      const lapsed = faker.datatype.boolean(0.25);
      records.push({
        kind: "membership",
        externalId: `${DEMO_PREFIX}membership-${n}`,
        ...own,
        plan: faker.helpers.arrayElement(PLANS),
        startedOn: iso(started),
        endsOn: lapsed ? iso(faker.date.between({ from: started, to: refDate })) : null,
        status: lapsed ? "lapsed" : "active",
      });
    }
    for (const list of faker.helpers.arrayElements(LISTS, { min: 0, max: 2 })) {
      const subscribedAt = faker.date.past({ years: 4, refDate });
      records.push({
        kind: "subscription",
        externalId: `${DEMO_PREFIX}subscription-${n}-${list}`,
        ...own,
        list,
        subscribedAt,
        unsubscribedAt: faker.datatype.boolean(0.1) ? faker.date.between({ from: subscribedAt, to: refDate }) : null,
      });
    }
    for (const petition of faker.helpers.arrayElements(PETITIONS, { min: 0, max: 3 })) {
      records.push({
        kind: "petition_signature",
        externalId: `${DEMO_PREFIX}petition-${n}-${PETITIONS.indexOf(petition)}`,
        ...own,
        petition,
        signedAt: faker.date.past({ years: 3, refDate }),
        comment: faker.datatype.boolean(0.3) ? faker.lorem.sentence() : null,
      });
    }
    const letterCount = faker.number.int({ min: 0, max: 2 });
    for (let c = 0; c < letterCount; c++) {
      const incoming = faker.datatype.boolean();
      records.push({
        kind: "correspondence",
        externalId: `${DEMO_PREFIX}correspondence-${n}-${c}`,
        ...own,
        at: faker.date.past({ years: 3, refDate }),
        direction: incoming ? "in" : "out",
        channel: faker.helpers.arrayElement(["email", "letter", "phone"]),
        subject: incoming ? faker.helpers.arrayElement(["Change of address", "Question about my gift", "Thank you", "Event tickets"]) : "Thank you for your support",
        body: faker.lorem.paragraphs({ min: 1, max: 2 }),
      });
    }
    const visitCount = faker.number.int({ min: 0, max: 5 });
    for (let v = 0; v < visitCount; v++) {
      records.push({
        kind: "web_visit",
        externalId: `${DEMO_PREFIX}visit-${n}-${v}`,
        ...own,
        at: faker.date.past({ years: 1, refDate }),
        ipAddress: faker.datatype.boolean(0.8) ? faker.internet.ipv4() : faker.internet.ipv6(),
        userAgent: faker.internet.userAgent(),
        page: faker.helpers.arrayElement(PAGES),
        referrer: faker.helpers.arrayElement(REFERRERS),
      });
    }
  }
  return records;
}
