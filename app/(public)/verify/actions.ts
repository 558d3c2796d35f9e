"use server";

import { fieldErrorsOf, multiLineText } from "@/lib/forms/fields";
import { wordsFor } from "@/lib/language/catalogue";
import { verifyReceipt, type ReceiptProblem } from "@/lib/record/receipts";
import { formAction } from "@/server/action";
import { orgNameIn } from "@/server/org-name";
import { getSettings } from "@/server/settings";

type Words = ReturnType<typeof wordsFor>;

/** Why a receipt did not check out, in the reader's language (the command line says it in English). */
function problemIn(words: Words, problem: ReceiptProblem): string {
  switch (problem.problem) {
    case "notAReceipt":
      return words("verifyPage.problems.notAReceipt");
    case "noSignature":
      return words("verifyPage.problems.noSignature");
    case "lineCount":
      return words(problem.count === 0 ? "verifyPage.problems.lineMissing" : "verifyPage.problems.lineTwice", { label: problem.label });
    case "otherKey":
      return words("verifyPage.problems.otherKey", { key: problem.key, ours: problem.ours });
    case "changed":
      return words("verifyPage.problems.changed");
  }
}

/** Anyone may check a receipt: it reveals nothing the receipt does not already say, and changes nothing. */
export const checkReceipt = formAction(
  {
    access: "anyone",
    parse: (input, _viewer, _files, language) => {
      const words = wordsFor(language);
      const missing = words("verifyPage.paste");
      // A receipt is a few hundred characters; this leaves room for a whole pasted email around it.
      const receipt = multiLineText(words("verifyPage.what"), 20_000, { required: missing, words }).safeParse(input.receipt);
      if (!receipt.success) return { ok: false, fieldErrors: { receipt: fieldErrorsOf(receipt.error).form ?? missing } };
      if (receipt.data === undefined) return { ok: false, fieldErrors: { receipt: missing } };
      return { ok: true, value: { receipt: receipt.data } };
    },
  },
  ({ receipt }, _viewer, language) => {
    const settings = getSettings();
    const words = wordsFor(language);
    const check = verifyReceipt(receipt, settings.signingKey.publicKey);
    if (!check.ok) return { ok: false, message: problemIn(words, check), values: { receipt } };
    return { ok: true, message: words("verifyPage.genuine", { orgName: orgNameIn(language) }), values: { receipt } };
  },
);
