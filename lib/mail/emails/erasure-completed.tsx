import { z } from "zod";
import { defineEmail } from "./define";
import { alsoReferences, httpUrl, reference, text, signedReceipt } from "./fields";
import { AlsoAnswers, COMPLAINT_RIGHT, Facts, Frame, Paragraph, SignedReceipt, type MailBrand } from "./parts";

const schema = z.object({ orgName: text, reference, kept: z.array(z.object({ what: text, why: text })), requestUrl: httpUrl, receipt: signedReceipt, alsoReferences });

type Props = z.infer<typeof schema>;

export function ErasureCompletedEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      preview={`Request ${props.reference} is complete.`}
      footer={`Reference ${props.reference}. Quote it if you contact us about this request.`}
    >
      <Paragraph>We have deleted the data we held about you, as you asked. This was the last email we will send to this address.</Paragraph>
      <AlsoAnswers references={props.alsoReferences} />
      {props.kept.length > 0 ? (
        <>
          <Paragraph>The law requires us to keep a few records. We have removed everything that identifies you from them:</Paragraph>
          <Facts rows={props.kept.map((k) => [k.what, k.why] as const)} />
        </>
      ) : null}
      <Paragraph>Your request&rsquo;s page is no longer available, because it would need your address to show it to you.</Paragraph>
      <Paragraph>{COMPLAINT_RIGHT}</Paragraph>
      <SignedReceipt receipt={props.receipt} brand={brand} />
    </Frame>
  );
}

export const erasureCompletedMail = defineEmail({
  name: "erasure-completed",
  schema,
  subject: (p) => `Your request ${p.reference} is complete`,
  Body: ErasureCompletedEmail,
});
