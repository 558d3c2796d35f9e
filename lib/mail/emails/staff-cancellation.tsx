import { z } from "zod";
import { wordsFor } from "@/lib/language/catalogue";
import { defineEmail } from "./define";
import { alsoReferences, httpUrl, language, reference, requestType, text, signedReceipt, regime } from "./fields";
import { ActionButton, AlsoAnswers, ComplaintRight, Frame, Paragraph, Quote, SignedReceipt, type MailBrand } from "./parts";

const schema = z.object({ language, regime, orgName: text, reference, type: requestType, reason: text, requestUrl: httpUrl, receipt: signedReceipt, alsoReferences });

type Props = z.infer<typeof schema>;

export function StaffCancellationEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  const words = wordsFor(props.language);
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      language={props.language}
      preview={words("emails.staffCancellation.preview", { reference: props.reference })}
      footer={words("emails.common.reference", { reference: props.reference })}
    >
      <Paragraph>{words("emails.staffCancellation.closed", { type: words(`requestTypes.${props.type}.label`) })}</Paragraph>
      <Quote text={props.reason} language={props.language} />
      <AlsoAnswers references={props.alsoReferences} language={props.language} />
      <ComplaintRight language={props.language} regime={props.regime} brand={brand} />
      <ActionButton language={props.language} label={words("emails.staffCancellation.button")} url={props.requestUrl} />
      <SignedReceipt receipt={props.receipt} brand={brand} language={props.language} />
    </Frame>
  );
}

export const staffCancellationMail = defineEmail({
  name: "staff-cancellation",
  schema,
  subject: (p) => wordsFor(p.language)("emails.staffCancellation.subject", { reference: p.reference }),
  Body: StaffCancellationEmail,
});
