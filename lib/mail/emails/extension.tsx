import { formatCalendarDate } from "@/lib/calendar/format";
import { z } from "zod";
import { defineEmail } from "./define";
import { calendarDate, httpUrl, reference, text } from "./fields";
import { ActionButton, COMPLAINT_RIGHT, Facts, Frame, Paragraph, Quote, type MailBrand } from "./parts";

const schema = z.object({ orgName: text, reference, reason: text, newDueOn: calendarDate, requestUrl: httpUrl });

type Props = z.infer<typeof schema>;

export function ExtensionEmail({ props, brand }: { props: Props; brand: MailBrand }) {
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

export const extensionMail = defineEmail({
  name: "extension",
  schema,
  subject: (p) => `We need more time for your request ${p.reference}`,
  Body: ExtensionEmail,
});
