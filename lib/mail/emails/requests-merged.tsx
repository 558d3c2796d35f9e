import { z } from "zod";
import { wordsFor } from "@/lib/language/catalogue";
import { defineEmail } from "./define";
import { httpUrl, language, reference, requestType, text } from "./fields";
import { ActionButton, Frame, Paragraph, type MailBrand } from "./parts";

const schema = z.object({
  language,
  orgName: text,
  /** The earlier request, which goes on and answers both. */
  reference,
  /** The later request, joined with it. */
  merged: reference,
  type: requestType,
  requestUrl: httpUrl,
});

type Props = z.infer<typeof schema>;

/**
 * To a supporter who asked for the same thing twice, once, when staff join
 * the two: which request goes on, and that one answer will cover both.
 */
export function RequestsMergedEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  const words = wordsFor(props.language);
  const both = { reference: props.reference, merged: props.merged };
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      language={props.language}
      preview={words("emails.requestsMerged.preview", both)}
      footer={words("emails.common.reference", { reference: props.reference })}
    >
      <Paragraph>{words("emails.requestsMerged.joined", { ...both, type: words(`requestTypes.${props.type}.label`) })}</Paragraph>
      <Paragraph>{words("emails.requestsMerged.goesOn", both)}</Paragraph>
      <ActionButton language={props.language} label={words("emails.requestsMerged.button", { reference: props.reference })} url={props.requestUrl} />
    </Frame>
  );
}

export const requestsMergedMail = defineEmail({
  name: "requests-merged",
  schema,
  subject: (p) => wordsFor(p.language)("emails.requestsMerged.subject", { reference: p.reference, merged: p.merged }),
  Body: RequestsMergedEmail,
});
