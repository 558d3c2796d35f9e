import { requestTypeLabel } from "@/lib/vocabulary/request-types";
import type { TemplateProps } from "../template-calls";
import { ActionButton, Frame, Paragraph, type MailBrand } from "./parts";

export function LimitReachedEmail({ props, brand }: { props: TemplateProps<"limit-reached">; brand: MailBrand }) {
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      preview="We could not take your request."
      footer="If you did not ask for this, you can ignore this email: nothing has changed."
    >
      <Paragraph>Someone, probably you, asked us: &ldquo;{requestTypeLabel(props.type)}&rdquo; for this email address.</Paragraph>
      <Paragraph>{props.reason}</Paragraph>
      <ActionButton label="See your requests" url={props.requestsUrl} />
    </Frame>
  );
}
