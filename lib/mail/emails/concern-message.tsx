import { z } from "zod";
import { wordsFor } from "@/lib/language/catalogue";
import { defineEmail } from "./define";
import { httpUrl, language, reference, text } from "./fields";
import { ActionButton, Frame, Paragraph, Quote, type MailBrand } from "./parts";

const schema = z.object({ language, orgName: text, reference, message: text, requestUrl: httpUrl });

type Props = z.infer<typeof schema>;

export function ConcernMessageEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  const words = wordsFor(props.language);
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      language={props.language}
      preview={words("emails.concernMessage.preview")}
      footer={words("emails.common.reference", { reference: props.reference })}
    >
      <Paragraph>{words("emails.concernMessage.intro")}</Paragraph>
      <Quote text={props.message} language={props.language} />
      <Paragraph>{words("emails.concernMessage.reply")}</Paragraph>
      <ActionButton language={props.language} label={words("emails.concernMessage.button")} url={props.requestUrl} />
    </Frame>
  );
}

export const concernMessageMail = defineEmail({
  name: "concern-message",
  schema,
  subject: (p) => wordsFor(p.language)("emails.concernMessage.subject", { reference: p.reference }),
  Body: ConcernMessageEmail,
});
