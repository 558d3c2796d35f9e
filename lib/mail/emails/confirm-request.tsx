import { z } from "zod";
import { wordsFor } from "@/lib/language/catalogue";
import { defineEmail } from "./define";
import { httpUrl, language, requestType, text } from "./fields";
import { ActionButton, Frame, Paragraph, type MailBrand } from "./parts";

/** `agent`: the authorised agent that filed the request for the person (Data Rights Protocol), named so they know who asked. */
const schema = z.object({ language, orgName: text, link: httpUrl, type: requestType, linkMinutes: z.number().int().positive(), agent: text.optional() });

type Props = z.infer<typeof schema>;

export function ConfirmRequestEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  const words = wordsFor(props.language);
  const button = words("linkPage.confirmButton");
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      language={props.language}
      preview={words("emails.confirmRequest.preview")}
      footer={words("emails.common.ignoreIfNotYou")}
    >
      <Paragraph>
        {props.agent
          ? words("emails.confirmRequest.askedByAgent", { agent: props.agent, type: words(`requestTypes.${props.type}.label`), button })
          : words("emails.confirmRequest.asked", { type: words(`requestTypes.${props.type}.label`), button })}
      </Paragraph>
      <ActionButton language={props.language} label={button} url={props.link} />
      <Paragraph>{words("emails.confirmRequest.expiry", { minutes: props.linkMinutes })}</Paragraph>
    </Frame>
  );
}

export const confirmRequestMail = defineEmail({
  name: "confirm-request",
  schema,
  subject: (p) => wordsFor(p.language)("emails.confirmRequest.subject", { orgName: p.orgName }),
  Body: ConfirmRequestEmail,
});
