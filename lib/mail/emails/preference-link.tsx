import { z } from "zod";
import { defineEmail } from "./define";
import { text } from "./fields";
import { ActionButton, Frame, IGNORE_IF_NOT_YOU, Paragraph, type MailBrand } from "./parts";

const schema = z.object({ orgName: text, days: z.number().int().positive() });

type Props = z.infer<typeof schema>;

/**
 * A fresh link to the preference page, asked for from an expired one. The
 * link is the one the worker signs for this message's footer, so no token
 * is ever written to the outbox; the copy kept after sending shows the
 * signed-in page instead.
 */
export function PreferenceLinkEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  const url = brand.choices?.preferencesUrl ?? `${brand.appUrl}/requests/preferences`;
  return (
    <Frame orgName={props.orgName} brand={brand} preview="Your new link to choose which emails you get." footer={`The link works for ${props.days} days, as often as you like.`}>
      <Paragraph>You asked for a new link to choose which emails you get from {props.orgName}. It opens your choices without signing in.</Paragraph>
      <ActionButton label="Choose your emails" url={url} />
      <Paragraph>{IGNORE_IF_NOT_YOU}</Paragraph>
    </Frame>
  );
}

export const preferenceLinkMail = defineEmail({
  name: "preference-link",
  schema,
  subject: () => "Your link to choose which emails you get",
  Body: PreferenceLinkEmail,
});
