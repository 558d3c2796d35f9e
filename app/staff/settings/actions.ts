"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import type { Viewer } from "@/lib/auth/load-viewer";
import { parseStatementForm, saveStatement, type OrgStatement } from "@/lib/org/statement";
import { formAction } from "@/server/action";

// Admins only, checked on every call: the page being a 404 for reviewers does not stop a forged POST.
export const saveStatementAction = formAction<OrgStatement, Viewer>({ access: "admin", parse: parseStatementForm }, (statement, viewer) => {
  saveStatement(getDb(), statement, { email: viewer.email, now: new Date() });
  revalidatePath("/staff/settings");
  return { ok: true, message: "Saved. Access exports built from now on include this statement." };
});
