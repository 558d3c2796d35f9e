import type { TemplateProps } from "../template-calls";
import { ActionButton, Frame, IGNORE_IF_NOT_YOU, Paragraph, type MailBrand } from "./parts";

export function SignInEmail({ props, brand }: { props: TemplateProps<"sign-in">; brand: MailBrand }) {
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
