/**
 * The settings that, left at their defaults, make the portal mislead people:
 * every email would say "Write to us at no-reply@localhost", every page "Our
 * organisation", and every link would lead to localhost. Fine for trying the
 * portal on one's own machine; wrong once real supporters are involved.
 */
export const DEFAULT_ORG_NAME = "Our organisation";
export const DEFAULT_MAIL_FROM = "Rightsdesk <no-reply@localhost>";

export type MisleadingDefault = "MAIL_FROM" | "ORG_CONTACT_EMAIL" | "ORG_NAME" | "APP_URL";

/** The settings these read (the full Settings has them all; it is not imported, since it is made with the names above). */
type Shown = { mailFrom: string; orgContactEmail: string; orgName: string; appUrl: string; smtpUrl?: string | null; unchangedDefaults: readonly MisleadingDefault[] };

/** What each one does to what people see while it is left at its default. */
const SHOWS: Record<MisleadingDefault, (s: Shown) => string> = {
  MAIL_FROM: (s) => `mail comes from ${s.mailFrom}`,
  ORG_CONTACT_EMAIL: (s) => `every email says "Write to us at ${s.orgContactEmail}"`,
  ORG_NAME: (s) => `pages and emails say "${s.orgName}"`,
  APP_URL: (s) => `links lead to ${s.appUrl}`,
};

/**
 * Which of the four are still defaults, from the environment as given. The
 * contact address counts only while it falls back to the default sender: set
 * MAIL_FROM, and its address is a deliberate choice of where to write.
 */
export function misleadingDefaults(env: Record<string, string | undefined>): MisleadingDefault[] {
  const unset = (name: string) => (env[name] ?? "").trim() === "";
  const found: MisleadingDefault[] = [];
  if (unset("MAIL_FROM")) found.push("MAIL_FROM");
  if (unset("ORG_CONTACT_EMAIL") && unset("MAIL_FROM")) found.push("ORG_CONTACT_EMAIL");
  if (unset("ORG_NAME")) found.push("ORG_NAME");
  if (unset("APP_URL")) found.push("APP_URL");
  return found;
}

/** "A", "A and B", "A, B and C". */
export function listOf(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

export type DefaultsVerdict = { level: "ok" } | { level: "warn"; message: string } | { level: "refuse"; message: string };

/**
 * What start-up does about them: nothing when none is left; one warning
 * when mail only goes to files; a refusal in one sentence when SMTP_URL
 * would send real mail to real people that says so.
 */
export function checkDefaults(settings: Shown): DefaultsVerdict {
  const left = settings.unchangedDefaults;
  if (left.length === 0) return { level: "ok" };
  const names = listOf(left);
  const are = left.length === 1 ? "is" : "are";
  const effects = listOf(left.map((name) => SHOWS[name](settings)));
  if (settings.smtpUrl) {
    return {
      level: "refuse",
      message: `SMTP_URL sends real mail, but ${names} ${are} still the default${left.length === 1 ? "" : "s"} (${effects}); set ${left.length === 1 ? "it" : "them"} before sending mail to anyone.`,
    };
  }
  return {
    level: "warn",
    message: `Warning: ${names} ${are} still the default${left.length === 1 ? "" : "s"}, so ${effects}. Set ${left.length === 1 ? "it" : "them"} before real use (see "Settings" in the README).`,
  };
}

/** The staff dashboard's banner while any is left: what to set, and what people see meanwhile. */
export function defaultsBanner(settings: Shown): string | null {
  const left = settings.unchangedDefaults;
  if (left.length === 0) return null;
  return (
    `Set ${listOf(left)} before real use: until then ${listOf(left.map((name) => SHOWS[name](settings)))}. ` +
    `They are environment variables of the server (see "Settings" in the README); restart it after setting them.`
  );
}
