import { z } from "zod";
import { defineEmail } from "./define";
import { httpUrl, reference, text } from "./fields";
import { ActionButton, Frame, Paragraph, Quote, type MailBrand } from "./parts";

const schema = z.object({ orgName: text, reference, message: text, requestUrl: httpUrl });

type Props = z.infer<typeof schema>;

export function ConcernMessageEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  return (
    <Frame orgName={props.orgName} brand={brand} preview="A message about the concern you raised." footer={`Reference ${props.reference}.`}>
      <Paragraph>We have written to you about the concern you raised:</Paragraph>
      <Quote text={props.message} />
      <Paragraph>You can reply on your request&rsquo;s page.</Paragraph>
      <ActionButton label="Read and reply" url={props.requestUrl} />
    </Frame>
  );
}

export const concernMessageMail = defineEmail({
  name: "concern-message",
  schema,
  subject: (p) => `A message about your concern ${p.reference}`,
  Body: ConcernMessageEmail,
});
