"use server";

import { verifyReceipt } from "@/lib/record/receipts";
import { formAction } from "@/server/action";
import { getSettings } from "@/server/settings";

/** A receipt is a few hundred characters; this leaves room for a whole pasted email around it. */
const MOST_CHARACTERS = 20_000;

/** Anyone may check a receipt: it reveals nothing the receipt does not already say, and changes nothing. */
export const checkReceipt = formAction(
  {
    access: "anyone",
    parse: (input) => {
      const receipt = (input.receipt ?? "").trim();
      if (receipt === "") return { ok: false, fieldErrors: { receipt: "Paste the receipt from your email." } };
      if (receipt.length > MOST_CHARACTERS) return { ok: false, fieldErrors: { receipt: `That is too long for a receipt: paste only the receipt, at most ${MOST_CHARACTERS.toLocaleString("en-GB")} characters.` } };
      return { ok: true, value: { receipt } };
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
