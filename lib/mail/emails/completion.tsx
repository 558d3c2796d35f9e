import { requestTypeLabel } from "@/lib/vocabulary/request-types";
import { z } from "zod";
import { defineEmail } from "./define";
import { alsoReferences, httpUrl, reference, requestType, text, signedReceipt } from "./fields";
import { ActionButton, AlsoAnswers, COMPLAINT_RIGHT, Frame, Paragraph, Quote, SignedReceipt, type MailBrand } from "./parts";

const schema = z.object({ orgName: text, reference, type: requestType, note: text.nullable(), requestUrl: httpUrl, receipt: signedReceipt, alsoReferences });

type Props = z.infer<typeof schema>;

export function CompletionEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  return (
    <Frame orgName={props.orgName} brand={brand} preview={`Request ${props.reference} is complete.`} footer={`Reference ${props.reference}.`}>
      <Paragraph>We have completed your request &ldquo;{requestTypeLabel(props.type)}&rdquo;.</Paragraph>
      {props.note ? <Quote text={props.note} /> : null}
      <AlsoAnswers references={props.alsoReferences} />
      <Paragraph>
        You can see the details, and download anything we have prepared for you, on your request&rsquo;s page. Sign in with this email
        address to open it.
      </Paragraph>
      <ActionButton label="See your request and downloads" url={props.requestUrl} />
      <Paragraph>{COMPLAINT_RIGHT}</Paragraph>
      <SignedReceipt receipt={props.receipt} brand={brand} />
    </Frame>
  );
}

export const completionMail = defineEmail({
  name: "completion",
  schema,
  subject: (p) => `Your request ${p.reference} is complete`,
  Body: CompletionEmail,
});
