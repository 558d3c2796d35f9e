"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { parseApprovalPolicyForm, saveApprovalPolicy } from "@/lib/org/approval-policy";
import { parseStatementForm, saveStatement } from "@/lib/org/statement";
import { relyingPartyFor } from "@/lib/auth/webauthn";
import { parsePasskeyPolicyForm } from "@/lib/staff/passkey-forms";
import { savePasskeyPolicy } from "@/lib/staff/passkeys";
import { parseOrgTextsForm, saveOrgTexts } from "@/lib/org/texts";
import { languageNameInEnglish } from "@/lib/language/languages";
import { formAction } from "@/server/action";
import { getSettings } from "@/server/settings";

// Admins only, checked on every call: the page being a 404 for reviewers does not stop a forged POST.
export const saveStatementAction = formAction({ access: "admin", parse: parseStatementForm }, (statement, viewer) => {
  saveStatement(getDb(), statement, { email: viewer.email, now: new Date() });
  revalidatePath("/staff/settings");
  return { ok: true, message: "Saved. Access exports built from now on include this statement." };
});

// Admins only, like the statement: the rule decides whether one person alone can erase a supporter's data.
export const saveApprovalPolicyAction = formAction({ access: "admin", parse: parseApprovalPolicyForm }, (policy, viewer) => {
  saveApprovalPolicy(getDb(), policy, { email: viewer.email, now: new Date() });
  revalidatePath("/staff/settings");
  return {
    ok: true,
    message: policy.erasureNeedsTwoApprovals
      ? "Saved. From now on an erasure is carried out only once two different staff members have approved it."
      : "Saved. From now on one staff member's approval carries an erasure out.",
  };
});

// Admins only: whether the emailed link alone can ever open the dashboard.
export const savePasskeyPolicyAction = formAction({ access: "admin", parse: parsePasskeyPolicyForm }, ({ required }, viewer) => {
  if (required) {
    const { appUrl, orgName } = getSettings();
    const rp = relyingPartyFor(appUrl, orgName);
    if (!rp.ok) return { ok: false, message: `${rp.message} Passkeys cannot be required until it does.` };
  }
  const result = savePasskeyPolicy(getDb(), { by: viewer.email, required, now: new Date() });
  revalidatePath("/staff/settings");
  return { ok: result.ok, message: result.message };
});
// Admins only, like the statement: the organisation's name and statement in another language.
export const saveOrgTextsAction = formAction(
  { access: "admin", parse: (input) => parseOrgTextsForm(input, { offered: getSettings().languages, defaultLanguage: getSettings().defaultLanguage }) },
  ({ language, texts }, viewer) => {
    saveOrgTexts(getDb(), language, texts, { email: viewer.email, now: new Date() });
    revalidatePath("/staff/settings");
    return {
      ok: true,
      message: `Saved. Pages, emails and access exports in ${languageNameInEnglish(language)} use these words from now on; anything left empty is said as in ${languageNameInEnglish(getSettings().defaultLanguage)}.`,
    };
  },
);
