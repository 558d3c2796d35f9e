import { z } from "zod";
import { defineEmail } from "./define";
import { httpUrl, text } from "./fields";
import { ActionButton, Frame, Paragraph, Quote, type MailBrand } from "./parts";

const schema = z.object({
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
  return (
    <Frame orgName={props.orgName} brand={brand} preview={`You joined "${props.listTitle}".`} footer={`You get this email because this address joined "${props.listTitle}".`}>
      <Paragraph>You chose to get the emails of the list &quot;{props.listTitle}&quot;. We will send them to this address from now on.</Paragraph>
      {props.listDescription ? <Quote text={props.listDescription} /> : null}
      <Paragraph>
        If you did not choose this, or change your mind, leave the list with your mail program&apos;s unsubscribe button or the
        links at the foot of this email: it takes effect at once.
      </Paragraph>
      <ActionButton label="See your choices" url={props.choicesUrl} />
    </Frame>
  );
}

export const listJoinedMail = defineEmail({
  name: "list-joined",
  schema,
  subject: () => "You joined a mailing list",
  Body: ListJoinedEmail,
});
