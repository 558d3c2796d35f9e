import { z } from "zod";
import { wordsFor } from "@/lib/language/catalogue";
import { defineEmail } from "./define";
import { httpUrl, language, requestType, text } from "./fields";
import { ActionButton, Frame, Paragraph, type MailBrand } from "./parts";

/** `reason` is the limit's sentence, already in the email's language. */
const schema = z.object({ language, orgName: text, type: requestType, reason: text, requestsUrl: httpUrl });

type Props = z.infer<typeof schema>;

export function LimitReachedEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  const words = wordsFor(props.language);
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      language={props.language}
      preview={words("emails.limitReached.preview")}
      footer={words("emails.limitReached.footer")}
    >
      <Paragraph>{words("emails.limitReached.asked", { type: words(`requestTypes.${props.type}.label`) })}</Paragraph>
      <Paragraph>{props.reason}</Paragraph>
      <ActionButton language={props.language} label={words("emails.limitReached.button")} url={props.requestsUrl} />
    </Frame>
  );
}

export const limitReachedMail = defineEmail({
  name: "limit-reached",
  schema,
  subject: (p) => wordsFor(p.language)("emails.limitReached.subject", { orgName: p.orgName }),
  Body: LimitReachedEmail,
});
