import { z } from "zod";
import { wordsFor } from "@/lib/language/catalogue";
import { defineEmail } from "./define";
import { httpUrl, language, text } from "./fields";
import { ActionButton, Frame, Paragraph, type MailBrand } from "./parts";

const schema = z.object({ language, orgName: text, link: httpUrl, linkMinutes: z.number().int().positive() });

type Props = z.infer<typeof schema>;

export function SignInEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  const words = wordsFor(props.language);
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      language={props.language}
      preview={words("emails.signIn.preview")}
      footer={words("emails.common.ignoreIfNotYou")}
    >
      <Paragraph>{words("emails.signIn.use", { button: words("linkPage.signInButton") })}</Paragraph>
      <ActionButton language={props.language} label={words("emails.signIn.button")} url={props.link} />
      <Paragraph>{words("emails.signIn.expiry", { minutes: props.linkMinutes })}</Paragraph>
    </Frame>
  );
}

export const signInMail = defineEmail({
  name: "sign-in",
  schema,
  subject: (p) => wordsFor(p.language)("emails.signIn.subject", { orgName: p.orgName }),
  Body: SignInEmail,
});
