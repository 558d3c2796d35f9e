import { requestTypeLabel } from "@/lib/vocabulary/request-types";
import { z } from "zod";
import { defineEmail } from "./define";
import { httpUrl, requestType, text } from "./fields";
import { ActionButton, Frame, Paragraph, type MailBrand } from "./parts";

const schema = z.object({ orgName: text, type: requestType, reason: text, requestsUrl: httpUrl });

type Props = z.infer<typeof schema>;

export function LimitReachedEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      preview="We could not take your request."
      footer="If you did not ask for this, you can ignore this email: nothing has changed."
    >
      <Paragraph>Someone, probably you, asked us: &ldquo;{requestTypeLabel(props.type)}&rdquo; for this email address.</Paragraph>
      <Paragraph>{props.reason}</Paragraph>
      <ActionButton label="See your requests" url={props.requestsUrl} />
    </Frame>
  );
}

export const limitReachedMail = defineEmail({
  name: "limit-reached",
  schema,
  subject: (p) => `We could not take your request to ${p.orgName}`,
  Body: LimitReachedEmail,
});
