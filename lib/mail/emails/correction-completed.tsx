import { z } from "zod";
import { wordsFor } from "@/lib/language/catalogue";
import { defineEmail } from "./define";
import { alsoReferences, httpUrl, language, reference, text, signedReceipt, regime } from "./fields";
import { ActionButton, AlsoAnswers, ComplaintRight, Frame, Paragraph, Quote, SignedReceipt, type MailBrand } from "./parts";

const schema = z.object({
  language,
  regime,
  orgName: text,
  reference,
  /** Each field's name in the email's language, and staff's note on it. */
  decisions: z.array(z.object({ label: text, accepted: z.boolean(), note: text.nullable() })),
  requestUrl: httpUrl,
  receipt: signedReceipt,
  alsoReferences,
});

type Props = z.infer<typeof schema>;

type Decision = Props["decisions"][number];

const line = (d: Decision) => (d.note ? `${d.label}: ${d.note}` : d.label);

export function CorrectionCompletedEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  const words = wordsFor(props.language);
  const accepted = props.decisions.filter((d) => d.accepted);
  const rejected = props.decisions.filter((d) => !d.accepted);
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      language={props.language}
      preview={words("emails.completion.preview", { reference: props.reference })}
      footer={words("emails.common.reference", { reference: props.reference })}
    >
      <Paragraph>{words("emails.correctionCompleted.reviewed")}</Paragraph>
      {accepted.length > 0 ? (
        <>
          <Paragraph>{words("emails.correctionCompleted.corrected")}</Paragraph>
          <Quote text={accepted.map(line).join("\n")} language={props.language} />
        </>
      ) : null}
      {rejected.length > 0 ? (
        <>
          <Paragraph>{words("emails.correctionCompleted.notChanged")}</Paragraph>
          <Quote text={rejected.map(line).join("\n")} language={props.language} />
        </>
      ) : null}
      <AlsoAnswers references={props.alsoReferences} language={props.language} />
      <ActionButton language={props.language} label={words("emails.correctionCompleted.button")} url={props.requestUrl} />
      <ComplaintRight language={props.language} regime={props.regime} brand={brand} />
      <SignedReceipt receipt={props.receipt} brand={brand} language={props.language} />
    </Frame>
  );
}

export const correctionCompletedMail = defineEmail({
  name: "correction-completed",
  schema,
  subject: (p) => wordsFor(p.language)("emails.completion.subject", { reference: p.reference }),
  Body: CorrectionCompletedEmail,
});
