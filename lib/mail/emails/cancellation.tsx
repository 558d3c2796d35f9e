import { requestTypeLabel } from "@/lib/vocabulary/request-types";
import type { TemplateProps } from "../template-calls";
import { ActionButton, Frame, Paragraph, type MailBrand } from "./parts";

export function CancellationEmail({ props, brand }: { props: TemplateProps<"cancellation">; brand: MailBrand }) {
  return (
    <Frame orgName={props.orgName} brand={brand} preview={`Request ${props.reference} is cancelled.`} footer={`Reference ${props.reference}.`}>
      <Paragraph>
        Your request &ldquo;{requestTypeLabel(props.type)}&rdquo; ({props.reference}) has been cancelled, as you asked. We will not take any
        further action on it.
      </Paragraph>
      <Paragraph>You can make a new request at any time.</Paragraph>
      <ActionButton label="See your requests" url={props.requestUrl} />
    </Frame>
  );
}
