import "server-only";
import { randomUUID } from "node:crypto";
import { unstable_rethrow } from "next/navigation";
import { isCaseworker, isStaff, type CaseworkerViewer, type StaffViewer, type Viewer } from "@/lib/auth/load-viewer";
import { formDataToRecord, type FieldErrors } from "@/lib/forms/fields";
import { wordsFor } from "@/lib/language/catalogue";
import type { Language } from "@/lib/language/languages";
import { requestLanguage } from "./language";
import { getViewer } from "./viewer";

/** What every form action returns, for `useActionState`. */
export type ActionState = {
  ok: boolean;
  /** A sentence for the whole form (success or failure). */
  message?: string;
  fieldErrors?: FieldErrors;
  /** What was typed, so a form with errors keeps it. */
  values?: Record<string, string>;
} | null;

/**
 * Who may call an action: anyone; anyone signed in; "staff" who work requests
 * (admins and reviewers: every action that changes the record); "any-staff",
 * auditors too, for what a staff member does to their own account; admins.
 */
export type Access = "anyone" | "signed-in" | "staff" | "any-staff" | "admin";

type Parsed<T> = { ok: true; value: T } | { ok: false; fieldErrors: FieldErrors };

// Said only to a staff member whose session waits for its passkey: staff pages stay in English.
const USE_PASSKEY = "Confirm it is you with your passkey first: open the dashboard and follow the steps.";

/** Who an action of each access level runs for, once the check has passed. */
export type ViewerFor<A extends Access> = {
  anyone: Viewer | null;
  "signed-in": Viewer;
  staff: CaseworkerViewer;
  "any-staff": StaffViewer;
  admin: StaffViewer & { role: "admin" };
}[A];

/** The check each access level makes; passing it is what gives `run` its viewer's type. */
const ADMITS: { [A in Access]: (viewer: Viewer | null) => viewer is ViewerFor<A> } = {
  anyone: (viewer): viewer is Viewer | null => true,
  "signed-in": (viewer): viewer is Viewer => viewer !== null,
  staff: isCaseworker,
  "any-staff": isStaff,
  admin: (viewer): viewer is StaffViewer & { role: "admin" } => viewer !== null && viewer.role === "admin",
};

function filesOf(formData: FormData): Record<string, File> {
  const files: Record<string, File> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value !== "string" && !key.startsWith("$ACTION") && !(key in files)) files[key] = value;
  }
  return files;
}

/**
 * The one way to write a server action: the caller's access is checked and
 * the form parsed before `run` sees anything, and an unexpected failure is
 * logged with an id while the person sees a calm sentence quoting that id.
 * Every sentence is in the language of the page the form was sent from
 * (English on the staff pages), which `parse` and `run` are given too.
 */
export function formAction<T, A extends Access>(
  spec: {
    access: A;
    /** `files` holds the form's file fields (an upload), by name; other parsers need only `input`. */
    parse: (input: Record<string, string>, viewer: ViewerFor<A>, files: Record<string, File>, language: Language) => Parsed<T>;
    /** False for a form whose fields are not typed in (an uploaded file): a refusal then sends nothing of it back. */
    keepsTyped?: boolean;
  },
  run: (input: T, viewer: ViewerFor<A>, language: Language) => Promise<ActionState> | ActionState,
) {
  return async (_previous: ActionState, formData: FormData): Promise<ActionState> => {
    const language = await requestLanguage();
    const words = wordsFor(language);
    // A hand-made request can send anything in place of the form.
    if (!(formData instanceof FormData)) return { ok: false, message: words("actions.notAForm") };
    const raw = formDataToRecord(formData);
    const typed = spec.keepsTyped === false ? {} : raw;
    try {
      const viewer = await getViewer();
      if (!ADMITS[spec.access](viewer)) {
        const staffOnly = spec.access !== "anyone" && spec.access !== "signed-in";
        if (viewer && staffOnly && viewer.awaiting) return { ok: false, message: USE_PASSKEY };
        return { ok: false, message: words(viewer ? "actions.notAllowed" : "actions.signInAgain") };
      }
      const parsed = spec.parse(raw, viewer, filesOf(formData), language);
      if (!parsed.ok) {
        return { ok: false, fieldErrors: parsed.fieldErrors, values: typed, message: words("actions.correctBelow") };
      }
      const result = await run(parsed.value, viewer, language);
      // A refusal keeps what was typed, so only the one thing needs changing.
      return result && !result.ok && !result.values ? { ...result, values: typed } : result;
    } catch (error) {
      unstable_rethrow(error);
      const id = randomUUID().slice(0, 8);
      console.error(`[error ${id}]`, error);
      return {
        ok: false,
        values: typed,
        message: words("actions.somethingWrong", { id }),
      };
    }
  };
}
