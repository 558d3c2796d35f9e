import { z } from "zod";
import { defineEmail } from "./define";
import { httpUrl, reference, text } from "./fields";
import { ActionButton, Frame, Paragraph, Quote, type MailBrand } from "./parts";

const schema = z.object({ orgName: text, reference, question: text, requestUrl: httpUrl });

type Props = z.infer<typeof schema>;

export function QuestionEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  return (
    <Frame orgName={props.orgName} brand={brand} preview="We have a question about your request." footer={`Reference ${props.reference}.`}>
      <Paragraph>To carry out your request we need some information from you. Our question is:</Paragraph>
      <Quote text={props.question} />
      <Paragraph>Please answer on your request&rsquo;s page. The time we have to answer is paused until you reply.</Paragraph>
      <ActionButton label="Answer the question" url={props.requestUrl} />
    </Frame>
  );
}

export const questionMail = defineEmail({
  name: "question",
  schema,
  subject: (p) => `We need something from you about your request ${p.reference}`,
  Body: QuestionEmail,
});
