import { z } from "zod";
import { wordsFor } from "@/lib/language/catalogue";
import { defineEmail } from "./define";
import { alsoReferences, httpUrl, language, reference, requestType, text, signedReceipt, regime } from "./fields";
import { ActionButton, AlsoAnswers, ComplaintRight, Frame, Paragraph, Quote, SignedReceipt, type MailBrand } from "./parts";

const schema = z.object({ language, regime, orgName: text, reference, type: requestType, note: text.nullable(), requestUrl: httpUrl, receipt: signedReceipt, alsoReferences });

type Props = z.infer<typeof schema>;

export function CompletionEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  const words = wordsFor(props.language);
  // Only an access request leaves something to download (its export); any other, such as a concern, has its answer on the page.
  const downloads = props.type === "access";
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      language={props.language}
      preview={words("emails.completion.preview", { reference: props.reference })}
      footer={words("emails.common.reference", { reference: props.reference })}
    >
      <Paragraph>{words("emails.completion.done", { type: words(`requestTypes.${props.type}.label`) })}</Paragraph>
      {props.note ? <Quote text={props.note} language={props.language} /> : null}
      <Paragraph>{words(downloads ? "emails.completion.detailsDownloads" : "emails.completion.details")}</Paragraph>
      <AlsoAnswers references={props.alsoReferences} language={props.language} />
      <ActionButton language={props.language} label={words(downloads ? "emails.completion.buttonDownloads" : "emails.completion.button")} url={props.requestUrl} />
      <ComplaintRight language={props.language} regime={props.regime} brand={brand} />
      <SignedReceipt receipt={props.receipt} brand={brand} language={props.language} />
    </Frame>
  );
}

export const completionMail = defineEmail({
  name: "completion",
  schema,
  subject: (p) => wordsFor(p.language)("emails.completion.subject", { reference: p.reference }),
  Body: CompletionEmail,
});
