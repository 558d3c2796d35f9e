import { z } from "zod";
import { wordsFor } from "@/lib/language/catalogue";
import { defineEmail } from "./define";
import { httpUrl, language, reference, text, signedReceipt } from "./fields";
import { ActionButton, Frame, Paragraph, SignedReceipt, type MailBrand } from "./parts";

const schema = z.object({ language, orgName: text, reference, lists: z.number().int().nonnegative(), requestUrl: httpUrl, receipt: signedReceipt });

type Props = z.infer<typeof schema>;

export function UnsubscribedEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  const words = wordsFor(props.language);
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      language={props.language}
      preview={words("emails.unsubscribed.preview")}
      footer={words("emails.common.reference", { reference: props.reference })}
    >
      <Paragraph>{words("emails.unsubscribed.taken", { lists: props.lists })}</Paragraph>
      <Paragraph>{words("emails.unsubscribed.still")}</Paragraph>
      <ActionButton label={words("emails.unsubscribed.button")} url={props.requestUrl} />
      <SignedReceipt receipt={props.receipt} brand={brand} language={props.language} />
    </Frame>
  );
}

export const unsubscribedMail = defineEmail({
  name: "unsubscribed",
  schema,
  subject: (p) => wordsFor(p.language)("emails.unsubscribed.subject", { reference: p.reference }),
  Body: UnsubscribedEmail,
});
