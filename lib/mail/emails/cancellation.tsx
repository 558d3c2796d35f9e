import { requestTypeLabel } from "@/lib/vocabulary/request-types";
import { z } from "zod";
import { defineEmail } from "./define";
import { alsoReferences, httpUrl, reference, requestType, text, signedReceipt } from "./fields";
import { ActionButton, AlsoAnswers, Frame, Paragraph, SignedReceipt, type MailBrand } from "./parts";

const schema = z.object({ orgName: text, reference, type: requestType, requestUrl: httpUrl, receipt: signedReceipt, alsoReferences });

type Props = z.infer<typeof schema>;

export function CancellationEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  return (
    <Frame orgName={props.orgName} brand={brand} preview={`Request ${props.reference} is cancelled.`} footer={`Reference ${props.reference}.`}>
      <Paragraph>
        Your request &ldquo;{requestTypeLabel(props.type)}&rdquo; ({props.reference}) has been cancelled, as you asked. We will not take any
        further action on it.
      </Paragraph>
      <AlsoAnswers references={props.alsoReferences} />
      <Paragraph>You can make a new request at any time.</Paragraph>
      <ActionButton label="See your requests" url={props.requestUrl} />
      <SignedReceipt receipt={props.receipt} brand={brand} />
    </Frame>
  );
}

export const cancellationMail = defineEmail({
  name: "cancellation",
  schema,
  subject: (p) => `Your request ${p.reference} has been cancelled`,
  Body: CancellationEmail,
});
