import { z } from "zod";
import { wordsFor } from "@/lib/language/catalogue";
import { defineEmail } from "./define";
import { httpUrl, language, text } from "./fields";
import { ActionButton, Frame, Paragraph, Quote, type MailBrand } from "./parts";

const schema = z.object({
  language,
  orgName: text,
  /** The list's title and description as the preference page showed them. */
  listTitle: text,
  listDescription: text.nullable(),
  /** The page where the person changes their choices after signing in. */
  choicesUrl: httpUrl,
});

type Props = z.infer<typeof schema>;

/**
 * Sent when a person puts themselves on a list on the preference page. It is
 * about that list, so its one-click unsubscribe ends that list only; and if
 * someone else used their link, the person learns of it and can leave at once.
 */
export function ListJoinedEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  const words = wordsFor(props.language);
  const list = props.listTitle;
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      language={props.language}
      preview={words("emails.listJoined.preview", { list })}
      footer={words("emails.listJoined.footer", { list })}
    >
      <Paragraph>{words("emails.listJoined.chose", { list })}</Paragraph>
      {props.listDescription ? <Quote text={props.listDescription} language={props.language} /> : null}
      <Paragraph>{words("emails.listJoined.notYou")}</Paragraph>
      <ActionButton language={props.language} label={words("emails.listJoined.button")} url={props.choicesUrl} />
    </Frame>
  );
}

export const listJoinedMail = defineEmail({
  name: "list-joined",
  schema,
  subject: (p) => wordsFor(p.language)("emails.listJoined.subject"),
  Body: ListJoinedEmail,
});
