import type { TemplateProps } from "../template-calls";
import { ActionButton, Frame, Paragraph, type MailBrand } from "./parts";

export function UnsubscribedEmail({ props, brand }: { props: TemplateProps<"unsubscribed">; brand: MailBrand }) {
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
