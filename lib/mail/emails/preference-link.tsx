import { z } from "zod";
import { wordsFor } from "@/lib/language/catalogue";
import { defineEmail } from "./define";
import { language, text } from "./fields";
import { ActionButton, Frame, Paragraph, type MailBrand } from "./parts";

const schema = z.object({ language, orgName: text, days: z.number().int().positive() });

type Props = z.infer<typeof schema>;

/**
 * A fresh link to the preference page, asked for from an expired one. The
 * link is the one the worker signs for this message's footer, so no token
 * is ever written to the outbox; the copy kept after sending shows the
 * signed-in page instead.
 */
export function PreferenceLinkEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  const words = wordsFor(props.language);
  const url = brand.choices?.preferencesUrl ?? `${brand.appUrl}/requests/preferences`;
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      language={props.language}
      preview={words("emails.preferenceLink.preview")}
      footer={words("emails.preferenceLink.footer", { days: props.days })}
    >
      <Paragraph>{words("emails.preferenceLink.text", { orgName: props.orgName })}</Paragraph>
      <ActionButton language={props.language} label={words("emails.preferenceLink.button")} url={url} />
      <Paragraph>{words("emails.common.ignoreIfNotYou")}</Paragraph>
    </Frame>
  );
}

export const preferenceLinkMail = defineEmail({
  name: "preference-link",
  schema,
  subject: (p) => wordsFor(p.language)("emails.preferenceLink.subject"),
  Body: PreferenceLinkEmail,
});
