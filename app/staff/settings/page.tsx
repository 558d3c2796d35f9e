import type { Metadata } from "next";
import { Instant } from "@/app/_components/dates";
import { getDb } from "@/db/client";
import { loadApprovalPolicy } from "@/lib/org/approval-policy";
import { loadStatement, STATEMENT_SECTIONS } from "@/lib/org/statement";
import { loadOrgTexts, ORG_TEXT_FIELDS } from "@/lib/org/texts";
import { languageNameInEnglish } from "@/lib/language/languages";
import { complaintRight } from "@/lib/language/complaint-right";
import { getSettings } from "@/server/settings";
import { requireStaff } from "@/server/viewer";
import { loadPasskeyPolicy } from "@/lib/staff/passkeys";
import { ApprovalForm } from "./approval-form";
import { PasskeyPolicyForm } from "./passkey-policy-form";
import { OrgTextsForm } from "./org-texts-form";
import { StatementForm } from "./statement-form";

export const metadata: Metadata = { title: "Settings" };

const PART_WORDS: Record<string, { label: string; hint: string }> = {
  orgName: { label: "The organisation's name", hint: "Shown on every page and in every email in this language." },
  // Worded unlike the statement's own fields above, so each label names one field on the page.
  purposes: { label: "Why you hold data", hint: "The statement's purposes. One point per line." },
  recipients: { label: "Who receives it", hint: "The statement's recipients. One per line." },
  retention: { label: "How long it is kept", hint: "The statement's retention, for each kind of record. One per line." },
  sources: { label: "Where it comes from", hint: "The statement's sources. One per line." },
  rights: {
    label: "What the supporter may ask",
    hint: "The statement's rights. If it does not mention complaining to the supervisory authority, that right is added in this language.",
  },
};

export default async function SettingsPage({ searchParams }: { searchParams: Promise<{ language?: string }> }) {
  // Admins only: for anyone else this is the same "not found" as a page that does not exist.
  await requireStaff("/staff/settings", ["admin"]);
  const db = getDb();
  const { timeZone, languages, defaultLanguage, orgName, regime, complaintAuthority } = getSettings();
  const { updatedAt, updatedBy, ...statement } = loadStatement(db, defaultLanguage);
  const policy = loadApprovalPolicy(db);
  const passkeyPolicy = loadPasskeyPolicy(db);
  const others = languages.filter((l) => l !== defaultLanguage);
  const asked = (await searchParams).language;
  const shownLanguage = others.find((l) => l === asked) ?? others[0];
  const texts = shownLanguage ? loadOrgTexts(db, shownLanguage) : null;
  return (
    <>
      <h1>Settings</h1>
      <h2>Approving erasures</h2>
      <p>
        Approving an erasure deletes a supporter&apos;s records at once, and it cannot be undone. You can ask for a second pair of eyes: a
        different staff member must then approve too. Both approvals go on the request&apos;s record.
      </p>
      {policy.updatedAt && policy.updatedBy ? (
        <p className="muted">
          Last changed by {policy.updatedBy} on <Instant at={policy.updatedAt} timeZone={timeZone} />.
        </p>
      ) : null}
      <ApprovalForm needsTwo={policy.erasureNeedsTwoApprovals} />

      <h2>Passkeys for staff</h2>
      <p>
        Staff sign in with a link emailed to them, so anyone who controls a staff member&apos;s mailbox could open their account.
        A passkey (on a laptop, a phone or a security key) closes that door: once a member has one, the link alone no longer
        opens the dashboard. You can require one of everyone; add your own first, on Your account.
      </p>
      {passkeyPolicy.updatedAt && passkeyPolicy.updatedBy ? (
        <p className="muted">
          Last changed by {passkeyPolicy.updatedBy} on <Instant at={passkeyPolicy.updatedAt} timeZone={timeZone} />.
        </p>
      ) : null}
      <PasskeyPolicyForm required={passkeyPolicy.passkeysRequired} />

      <h2>Statement sent with every access export</h2>
      <p>
        Supporters who ask to see their data get this with it: why you hold their data, who receives it, how long you keep
        it, where it came from and their rights.
      </p>
      <p>
        Where supporters may complain: this export and every email that closes or extends a request say (in the
        supporter&apos;s language) &ldquo;{complaintRight(defaultLanguage, regime, complaintAuthority)}&rdquo; The home page
        says the same of how you handle their data.{" "}
        {complaintAuthority
          ? "The authority is the one COMPLAINT_AUTHORITY names."
          : "If your privacy policy names another authority, set COMPLAINT_AUTHORITY to name it."}
      </p>
      {updatedAt && updatedBy ? (
        <p className="muted">
          Last saved by {updatedBy} on <Instant at={updatedAt} timeZone={timeZone} />.
        </p>
      ) : (
        <p className="notice warning">
          This statement has not been saved yet: the text below is a starting point drawn from what nonprofits commonly say.
          Check every line against your own privacy policy, then save it.
        </p>
      )}
      <StatementForm statement={statement} />

      {shownLanguage && texts ? (
        <section aria-labelledby="languages-heading">
          <h2 id="languages-heading">Your words in other languages</h2>
          <p>
            Supporters who read the portal in another language see your name and statement in it too, if you give them here. Anything left
            empty is shown as in {languageNameInEnglish(defaultLanguage)}: the name from ORG_NAME and the statement above. Write them for the
            reader, not word for word.
          </p>
          {others.length > 1 ? (
            <nav aria-label="Language to edit" className="subnav">
              {others.map((l) => (
                <a key={l} href={`/staff/settings?language=${l}#languages-heading`} aria-current={l === shownLanguage ? "page" : undefined}>
                  {languageNameInEnglish(l)}
                </a>
              ))}
            </nav>
          ) : null}
          {texts.updatedAt && texts.updatedBy ? (
            <p className="muted">
              Last saved by {texts.updatedBy} on <Instant at={texts.updatedAt} timeZone={timeZone} />.
            </p>
          ) : null}
          <OrgTextsForm
            language={shownLanguage}
            languageName={languageNameInEnglish(shownLanguage)}
            parts={(["orgName", ...STATEMENT_SECTIONS] as const).map((part) => ({
              name: ORG_TEXT_FIELDS[part],
              label: PART_WORDS[part]?.label ?? part,
              hint: PART_WORDS[part]?.hint ?? "",
              multiline: part !== "orgName",
            }))}
            values={Object.fromEntries((["orgName", ...STATEMENT_SECTIONS] as const).map((part) => [ORG_TEXT_FIELDS[part], texts[part] ?? ""]))}
            fallbacks={{
              [ORG_TEXT_FIELDS.orgName]: orgName,
              ...Object.fromEntries(STATEMENT_SECTIONS.map((section) => [ORG_TEXT_FIELDS[section], statement[section]])),
            }}
          />
        </section>
      ) : null}
    </>
  );
}
