import "server-only";
import { randomUUID } from "node:crypto";
import { unstable_rethrow } from "next/navigation";
import { isStaff, type Viewer } from "@/lib/auth/load-viewer";
import { formDataToRecord, type FieldErrors } from "@/lib/forms/fields";
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

export type Access = "anyone" | "signed-in" | "staff" | "admin";

type Parsed<T> = { ok: true; value: T } | { ok: false; fieldErrors: FieldErrors };

const SIGN_IN_AGAIN = "Your session has ended. Please sign in again.";
const NOT_ALLOWED = "You are not allowed to do this.";
const NOT_A_FORM = "This form arrived in a shape we do not understand. Please reload the page and try again.";

function allowed(access: Access, viewer: Viewer | null): string | null {
  switch (access) {
    case "anyone":
      return null;
    case "signed-in":
      return viewer ? null : SIGN_IN_AGAIN;
    case "staff":
      return !viewer ? SIGN_IN_AGAIN : isStaff(viewer) ? null : NOT_ALLOWED;
    case "admin":
      return !viewer ? SIGN_IN_AGAIN : viewer.role === "admin" ? null : NOT_ALLOWED;
  }
}

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
 */
export function formAction<T, V extends Viewer | null = Viewer | null>(
  spec: {
    access: Access;
    /** `files` holds the form's file fields (an upload), by name; other parsers need only `input`. */
    parse: (input: Record<string, string>, viewer: V, files: Record<string, File>) => Parsed<T>;
    /** False for a form whose fields are not typed in (an uploaded file): a refusal then sends nothing of it back. */
    keepsTyped?: boolean;
  },
  run: (input: T, viewer: V) => Promise<ActionState> | ActionState,
) {
  return async (_previous: ActionState, formData: FormData): Promise<ActionState> => {
    // A hand-made request can send anything in place of the form.
    if (!(formData instanceof FormData)) return { ok: false, message: NOT_A_FORM };
    const raw = formDataToRecord(formData);
    const typed = spec.keepsTyped === false ? {} : raw;
    try {
      const viewer = await getViewer();
      const refusal = allowed(spec.access, viewer);
      if (refusal) return { ok: false, message: refusal };
      const parsed = spec.parse(raw, viewer as V, filesOf(formData));
      if (!parsed.ok) {
        return { ok: false, fieldErrors: parsed.fieldErrors, values: typed, message: "Please correct the errors below." };
      }
      const result = await run(parsed.value, viewer as V);
      // A refusal keeps what was typed, so only the one thing needs changing.
      return result && !result.ok && !result.values ? { ...result, values: typed } : result;
    } catch (error) {
      unstable_rethrow(error);
      const id = randomUUID().slice(0, 8);
      console.error(`[error ${id}]`, error);
      return {
        ok: false,
        values: typed,
        message: `Something went wrong on our side and nothing was saved. Please try again; if it keeps happening, tell us error ${id}.`,
      };
    }
  };
}
