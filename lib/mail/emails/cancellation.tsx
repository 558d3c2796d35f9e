import { z } from "zod";
import { wordsFor } from "@/lib/language/catalogue";
import { defineEmail } from "./define";
import { alsoReferences, httpUrl, language, reference, requestType, text, signedReceipt } from "./fields";
import { ActionButton, AlsoAnswers, Frame, Paragraph, SignedReceipt, type MailBrand } from "./parts";

const schema = z.object({ language, orgName: text, reference, type: requestType, requestUrl: httpUrl, receipt: signedReceipt, alsoReferences });

type Props = z.infer<typeof schema>;

export function CancellationEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  const words = wordsFor(props.language);
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      language={props.language}
      preview={words("emails.cancellation.preview", { reference: props.reference })}
      footer={words("emails.common.reference", { reference: props.reference })}
    >
      <Paragraph>{words("emails.cancellation.done", { type: words(`requestTypes.${props.type}.label`), reference: props.reference })}</Paragraph>
      <Paragraph>{words("emails.cancellation.again")}</Paragraph>
      <AlsoAnswers references={props.alsoReferences} language={props.language} />
      <ActionButton language={props.language} label={words("emails.cancellation.button")} url={props.requestUrl} />
      <SignedReceipt receipt={props.receipt} brand={brand} language={props.language} />
    </Frame>
  );
}

export const cancellationMail = defineEmail({
  name: "cancellation",
  schema,
  subject: (p) => wordsFor(p.language)("emails.cancellation.subject", { reference: p.reference }),
  Body: CancellationEmail,
});
