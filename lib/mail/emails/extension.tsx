import { formatCalendarDate } from "@/lib/calendar/format";
import type { TemplateProps } from "../template-calls";
import { ActionButton, COMPLAINT_RIGHT, Facts, Frame, Paragraph, Quote, type MailBrand } from "./parts";

export function ExtensionEmail({ props, brand }: { props: TemplateProps<"extension">; brand: MailBrand }) {
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      preview={`We will now answer by ${formatCalendarDate(props.newDueOn)}.`}
      footer={`Reference ${props.reference}.`}
    >
      <Paragraph>We are sorry: we need more time to answer your request properly. The reason is:</Paragraph>
      <Quote text={props.reason} />
      <Facts rows={[["We will now answer by", formatCalendarDate(props.newDueOn)]]} />
      <Paragraph>{COMPLAINT_RIGHT}</Paragraph>
      <ActionButton label="Follow your request" url={props.requestUrl} />
    </Frame>
  );
}
