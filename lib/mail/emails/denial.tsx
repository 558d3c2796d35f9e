import { requestTypeLabel } from "@/lib/vocabulary/request-types";
import type { TemplateProps } from "../template-calls";
import { ActionButton, COMPLAINT_RIGHT, Frame, Paragraph, Quote, type MailBrand } from "./parts";

export function DenialEmail({ props, brand }: { props: TemplateProps<"denial">; brand: MailBrand }) {
  return (
    <Frame orgName={props.orgName} brand={brand} preview={`Our decision on request ${props.reference}.`} footer={`Reference ${props.reference}.`}>
      <Paragraph>We are not able to carry out your request &ldquo;{requestTypeLabel(props.type)}&rdquo;. Our reason is:</Paragraph>
      <Quote text={props.reason} />
      <Paragraph>{COMPLAINT_RIGHT}</Paragraph>
      <ActionButton label="See your request" url={props.requestUrl} />
    </Frame>
  );
}
