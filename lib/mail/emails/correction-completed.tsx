import { z } from "zod";
import { defineEmail } from "./define";
import { alsoReferences, httpUrl, reference, text, signedReceipt } from "./fields";
import { ActionButton, AlsoAnswers, COMPLAINT_RIGHT, Frame, Paragraph, Quote, SignedReceipt, type MailBrand } from "./parts";

const schema = z.object({
  orgName: text,
  reference,
  decisions: z.array(z.object({ label: text, accepted: z.boolean(), note: text.nullable() })),
  requestUrl: httpUrl,
  receipt: signedReceipt,
  alsoReferences,
});

type Props = z.infer<typeof schema>;

type Decision = Props["decisions"][number];

const line = (d: Decision) => (d.note ? `${d.label}: ${d.note}` : d.label);

export function CorrectionCompletedEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  const accepted = props.decisions.filter((d) => d.accepted);
  const rejected = props.decisions.filter((d) => !d.accepted);
  return (
    <Frame orgName={props.orgName} brand={brand} preview={`Request ${props.reference} is complete.`} footer={`Reference ${props.reference}.`}>
      <Paragraph>We have reviewed each change you asked for.</Paragraph>
      {accepted.length > 0 ? (
        <>
          <Paragraph>We corrected:</Paragraph>
          <Quote text={accepted.map(line).join("\n")} />
        </>
      ) : null}
      {rejected.length > 0 ? (
        <>
          <Paragraph>We did not change, and why:</Paragraph>
          <Quote text={rejected.map(line).join("\n")} />
        </>
      ) : null}
      <AlsoAnswers references={props.alsoReferences} />
      <ActionButton label="See your request" url={props.requestUrl} />
      <Paragraph>{COMPLAINT_RIGHT}</Paragraph>
      <SignedReceipt receipt={props.receipt} brand={brand} />
    </Frame>
  );
}

export const correctionCompletedMail = defineEmail({
  name: "correction-completed",
  schema,
  subject: (p) => `Your request ${p.reference} is complete`,
  Body: CorrectionCompletedEmail,
});
