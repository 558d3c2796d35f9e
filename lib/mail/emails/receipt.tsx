import type { Regime } from "@/db/schema";
import { REQUEST_TYPE_INFO } from "@/lib/vocabulary/request-types";
import { formatCalendarDate } from "@/lib/calendar/format";
import { z } from "zod";
import { REGIMES } from "@/db/schema";
import { defineEmail } from "./define";
import { calendarDate, httpUrl, reference, requestType, text } from "./fields";
import { ActionButton, Facts, Frame, Paragraph, type MailBrand } from "./parts";

const schema = z.object({
  orgName: text,
  reference,
  type: requestType,
  receivedOn: calendarDate,
  dueOn: calendarDate,
  requestUrl: httpUrl,
  regime: z.enum(REGIMES),
});

type Props = z.infer<typeof schema>;

const DEADLINE_SENTENCE: Record<Regime, string> = {
  gdpr: "The law gives us one calendar month to answer. If we need more time because the request is complex, we will tell you why before that date.",
  ccpa: "The law gives us 45 days to answer. If we need more time, we will tell you why before that date.",
};

export function ReceiptEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  const info = REQUEST_TYPE_INFO[props.type];
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      preview={`Reference ${props.reference}: we will answer by ${formatCalendarDate(props.dueOn)}.`}
      footer={`Keep this email: quote ${props.reference} if you contact us about this request.`}
    >
      <Paragraph>Thank you. We have received your request and confirmed your email address.</Paragraph>
      <Facts
        rows={[
          ["Reference", props.reference],
          ["Request", info.label],
          ["Received", formatCalendarDate(props.receivedOn)],
          ["We will answer by", formatCalendarDate(props.dueOn)],
        ]}
      />
      <Paragraph>What happens next: {info.explanation}</Paragraph>
      <Paragraph>{DEADLINE_SENTENCE[props.regime]}</Paragraph>
      <ActionButton label="Follow your request" url={props.requestUrl} />
    </Frame>
  );
}

export const receiptMail = defineEmail({
  name: "receipt",
  schema,
  subject: (p) => `We have received your request ${p.reference}`,
  Body: ReceiptEmail,
});
