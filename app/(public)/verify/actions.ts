"use server";

import { fieldErrorsOf, multiLineText } from "@/lib/forms/fields";
import { verifyReceipt } from "@/lib/record/receipts";
import { formAction } from "@/server/action";
import { getSettings } from "@/server/settings";

/** A receipt is a few hundred characters; this leaves room for a whole pasted email around it. */
const receiptField = multiLineText("The receipt", 20_000, { required: "Paste the receipt from your email." });

/** Anyone may check a receipt: it reveals nothing the receipt does not already say, and changes nothing. */
export const checkReceipt = formAction(
  {
    access: "anyone",
    parse: (input) => {
      const receipt = receiptField.safeParse(input.receipt);
      if (!receipt.success) return { ok: false, fieldErrors: { receipt: fieldErrorsOf(receipt.error).form ?? "Paste the receipt from your email." } };
      if (receipt.data === undefined) return { ok: false, fieldErrors: { receipt: "Paste the receipt from your email." } };
      return { ok: true, value: { receipt: receipt.data } };
    },
  },
  ({ receipt }) => {
    const settings = getSettings();
    const check = verifyReceipt(receipt, settings.signingKey.publicKey);
    if (!check.ok) return { ok: false, message: check.message, values: { receipt } };
    return {
      ok: true,
      message: `This receipt is genuine: ${settings.orgName} signed it, and nothing in it was changed since.`,
      values: { receipt },
    };
  },
);
