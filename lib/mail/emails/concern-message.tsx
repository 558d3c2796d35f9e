import type { TemplateProps } from "../template-calls";
import { ActionButton, Frame, Paragraph, Quote, type MailBrand } from "./parts";

export function ConcernMessageEmail({ props, brand }: { props: TemplateProps<"concern-message">; brand: MailBrand }) {
  return (
    <Frame orgName={props.orgName} brand={brand} preview="A message about the concern you raised." footer={`Reference ${props.reference}.`}>
      <Paragraph>We have written to you about the concern you raised:</Paragraph>
      <Quote text={props.message} />
      <Paragraph>You can reply on your request&rsquo;s page.</Paragraph>
      <ActionButton label="Read and reply" url={props.requestUrl} />
    </Frame>
  );
}
