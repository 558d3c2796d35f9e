import { requestTypeLabel } from "@/lib/vocabulary/request-types";
import type { TemplateProps } from "../template-calls";
import { ActionButton, COMPLAINT_RIGHT, Frame, Paragraph, Quote, type MailBrand } from "./parts";

export function StaffCancellationEmail({ props, brand }: { props: TemplateProps<"staff-cancellation">; brand: MailBrand }) {
  return (
    <Frame orgName={props.orgName} brand={brand} preview={`Request ${props.reference} is closed.`} footer={`Reference ${props.reference}.`}>
      <Paragraph>
        We have closed your request &ldquo;{requestTypeLabel(props.type)}&rdquo; without acting on it. Our reason is:
      </Paragraph>
      <Quote text={props.reason} />
      <Paragraph>{COMPLAINT_RIGHT}</Paragraph>
      <ActionButton label="See your request" url={props.requestUrl} />
    </Frame>
  );
}
