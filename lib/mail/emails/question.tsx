import type { TemplateProps } from "../template-calls";
import { ActionButton, Frame, Paragraph, Quote, type MailBrand } from "./parts";

export function QuestionEmail({ props, brand }: { props: TemplateProps<"question">; brand: MailBrand }) {
  return (
    <Frame orgName={props.orgName} brand={brand} preview="We have a question about your request." footer={`Reference ${props.reference}.`}>
      <Paragraph>To carry out your request we need some information from you. Our question is:</Paragraph>
      <Quote text={props.question} />
      <Paragraph>Please answer on your request&rsquo;s page. The time we have to answer is paused until you reply.</Paragraph>
      <ActionButton label="Answer the question" url={props.requestUrl} />
    </Frame>
  );
}
