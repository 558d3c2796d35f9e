import { requestTypeLabel } from "@/lib/vocabulary/request-types";
import { z } from "zod";
import { defineEmail } from "./define";
import { alsoReferences, httpUrl, reference, requestType, text, signedReceipt } from "./fields";
import { ActionButton, AlsoAnswers, COMPLAINT_RIGHT, Frame, Paragraph, Quote, SignedReceipt, type MailBrand } from "./parts";

const schema = z.object({ orgName: text, reference, type: requestType, reason: text, requestUrl: httpUrl, receipt: signedReceipt, alsoReferences });

type Props = z.infer<typeof schema>;

export function DenialEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  return (
    <Frame orgName={props.orgName} brand={brand} preview={`Our decision on request ${props.reference}.`} footer={`Reference ${props.reference}.`}>
      <Paragraph>We are not able to carry out your request &ldquo;{requestTypeLabel(props.type)}&rdquo;. Our reason is:</Paragraph>
      <Quote text={props.reason} />
      <AlsoAnswers references={props.alsoReferences} />
      <Paragraph>{COMPLAINT_RIGHT}</Paragraph>
      <ActionButton label="See your request" url={props.requestUrl} />
      <SignedReceipt receipt={props.receipt} brand={brand} />
    </Frame>
  );
}

export const denialMail = defineEmail({
  name: "denial",
  schema,
  subject: (p) => `Our decision on your request ${p.reference}`,
  Body: DenialEmail,
});
