import { z } from "zod";
import { defineEmail } from "./define";
import { httpUrl, reference, text } from "./fields";
import { ActionButton, Frame, Paragraph, type MailBrand } from "./parts";

const schema = z.object({ orgName: text, reference, lists: z.number().int().nonnegative(), requestUrl: httpUrl });

type Props = z.infer<typeof schema>;

export function UnsubscribedEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  return (
    <Frame orgName={props.orgName} brand={brand} preview="You are off our mailing lists." footer={`Reference ${props.reference}.`}>
      <Paragraph>
        {props.lists > 0
          ? `We have taken this address off every mailing list it was on (${props.lists} in all). We will not send you newsletters, alerts or appeals again.`
          : "This address was not on any of our mailing lists, and we will keep it off them. We will not send you newsletters, alerts or appeals."}
      </Paragraph>
      <Paragraph>You may still get emails about requests you make to us, such as this one.</Paragraph>
      <ActionButton label="See your request" url={props.requestUrl} />
    </Frame>
  );
}

export const unsubscribedMail = defineEmail({
  name: "unsubscribed",
  schema,
  subject: (p) => `You are off our mailing lists (${p.reference})`,
  Body: UnsubscribedEmail,
});
