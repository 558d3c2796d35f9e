import { z } from "zod";
import { defineEmail } from "./define";
import { httpUrl, text } from "./fields";
import { ActionButton, Frame, IGNORE_IF_NOT_YOU, Paragraph, type MailBrand } from "./parts";

const schema = z.object({ orgName: text, link: httpUrl, linkMinutes: z.number().int().positive() });

type Props = z.infer<typeof schema>;

export function SignInEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  return (
    <Frame orgName={props.orgName} brand={brand} preview="Your link to sign in." footer={IGNORE_IF_NOT_YOU}>
      <Paragraph>
        Use the button below, then press &ldquo;Sign me in&rdquo; on the page it opens, to see your data-rights requests.
      </Paragraph>
      <ActionButton label="Sign in" url={props.link} />
      <Paragraph>The link works once and expires in {props.linkMinutes} minutes.</Paragraph>
    </Frame>
  );
}

export const signInMail = defineEmail({
  name: "sign-in",
  schema,
  subject: (p) => `Your sign-in link for ${p.orgName}`,
  Body: SignInEmail,
});
