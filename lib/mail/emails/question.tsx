import { z } from "zod";
import { wordsFor } from "@/lib/language/catalogue";
import { defineEmail } from "./define";
import { httpUrl, language, reference, text } from "./fields";
import { ActionButton, Frame, Paragraph, Quote, type MailBrand } from "./parts";

const schema = z.object({ language, orgName: text, reference, question: text, requestUrl: httpUrl });

type Props = z.infer<typeof schema>;

export function QuestionEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  const words = wordsFor(props.language);
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      language={props.language}
      preview={words("emails.question.preview")}
      footer={words("emails.common.reference", { reference: props.reference })}
    >
      <Paragraph>{words("emails.question.intro")}</Paragraph>
      <Quote text={props.question} language={props.language} />
      <Paragraph>{words("emails.question.answerThere")}</Paragraph>
      <ActionButton language={props.language} label={words("emails.question.button")} url={props.requestUrl} />
    </Frame>
  );
}

export const questionMail = defineEmail({
  name: "question",
  schema,
  subject: (p) => wordsFor(p.language)("emails.question.subject", { reference: p.reference }),
  Body: QuestionEmail,
});
