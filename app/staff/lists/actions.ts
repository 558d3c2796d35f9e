"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { parseListWords, saveListWords } from "@/lib/consent/lists";
import { formAction } from "@/server/action";

// Admins only, checked on every call: the words are what supporters read when they choose their emails.
export const saveListWordsAction = formAction({ access: "admin", parse: parseListWords }, (words, viewer) => {
  if (!saveListWords(getDb(), { ...words, by: viewer.email, now: new Date() })) {
    return { ok: false, message: "There is no list by that name. Reload the page to see the lists as they are now." };
  }
  revalidatePath("/staff/lists");
  return { ok: true, message: "Saved. The preference page shows these words from now on." };
});
