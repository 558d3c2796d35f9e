import { requestTypeLabel } from "@/lib/vocabulary/request-types";
import type { TemplateProps } from "../template-calls";
import { ActionButton, COMPLAINT_RIGHT, Frame, Paragraph, Quote, type MailBrand } from "./parts";

export function CompletionEmail({ props, brand }: { props: TemplateProps<"completion">; brand: MailBrand }) {
  return (
    <Frame orgName={props.orgName} brand={brand} preview={`Request ${props.reference} is complete.`} footer={`Reference ${props.reference}.`}>
      <Paragraph>We have completed your request &ldquo;{requestTypeLabel(props.type)}&rdquo;.</Paragraph>
      {props.note ? <Quote text={props.note} /> : null}
      <Paragraph>
        You can see the details, and download anything we have prepared for you, on your request&rsquo;s page. Sign in with this email
        address to open it.
      </Paragraph>
      <ActionButton label="See your request and downloads" url={props.requestUrl} />
      <Paragraph>{COMPLAINT_RIGHT}</Paragraph>
    </Frame>
  );
}
