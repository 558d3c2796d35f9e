import { z } from "zod";
import { defineEmail } from "./define";
import { httpUrl, reference, text, signedReceipt } from "./fields";
import { ActionButton, Frame, Paragraph, SignedReceipt, type MailBrand } from "./parts";

const schema = z.object({
  orgName: text,
  reference,
  /** Every list: the subscriptions ended. Some lists: how many of them the address was on. */
  lists: z.number().int().nonnegative(),
  /** The titles of the lists left, when the request named some; absent for every list. */
  only: z.array(text).min(1).optional(),
  requestUrl: httpUrl,
  receipt: signedReceipt,
});

type Props = z.infer<typeof schema>;

function listWords(titles: string[]): string {
  return titles.length === 1 ? `the list "${titles[0]}"` : `the lists ${titles.map((t) => `"${t}"`).join(", ")}`;
}

export function UnsubscribedEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  return (
    <Frame orgName={props.orgName} brand={brand} preview={props.only ? "You have left a mailing list." : "You are off our mailing lists."} footer={`Reference ${props.reference}.`}>
      {props.only ? (
        <Paragraph>
          We have taken this address off {listWords(props.only)}. Any other list you chose stays as it was: you can change them
          all with the link at the foot of this email.
        </Paragraph>
      ) : (
        <Paragraph>
          {props.lists > 0
            ? `We have taken this address off every mailing list it was on (${props.lists} in all). We will not send you newsletters, alerts or appeals again.`
            : "This address was not on any of our mailing lists, and we will keep it off them. We will not send you newsletters, alerts or appeals."}
        </Paragraph>
      )}
      <Paragraph>You may still get emails about requests you make to us, such as this one.</Paragraph>
      <ActionButton label="See your request" url={props.requestUrl} />
      <SignedReceipt receipt={props.receipt} brand={brand} />
    </Frame>
  );
}

export const unsubscribedMail = defineEmail({
  name: "unsubscribed",
  schema,
  subject: (p) => (p.only ? `You have left ${p.only.length === 1 ? "a mailing list" : "some mailing lists"} (${p.reference})` : `You are off our mailing lists (${p.reference})`),
  Body: UnsubscribedEmail,
});
