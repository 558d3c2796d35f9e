import { z } from "zod";
import { REGIMES } from "@/db/schema";
import { formatCalendarDate } from "@/lib/calendar/format";
import { wordsFor } from "@/lib/language/catalogue";
import { defineEmail } from "./define";
import { calendarDate, httpUrl, language, reference, requestType, text } from "./fields";
import { ActionButton, Facts, Frame, Paragraph, type MailBrand } from "./parts";

const schema = z.object({
  language,
  orgName: text,
  reference,
  type: requestType,
  receivedOn: calendarDate,
  dueOn: calendarDate,
  requestUrl: httpUrl,
  regime: z.enum(REGIMES),
});

type Props = z.infer<typeof schema>;

export function ReceiptEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  const words = wordsFor(props.language);
  const day = (date: string) => formatCalendarDate(date, props.language);
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      language={props.language}
      preview={words("emails.receipt.preview", { reference: props.reference, dueOn: day(props.dueOn) })}
      footer={words("emails.receipt.footer", { reference: props.reference })}
    >
      <Paragraph>{words("emails.receipt.thanks")}</Paragraph>
      <Facts
        rows={[
          [words("emails.receipt.reference"), props.reference],
          [words("emails.receipt.request"), words(`requestTypes.${props.type}.label`)],
          [words("emails.receipt.received"), day(props.receivedOn)],
          [words("emails.receipt.answerBy"), day(props.dueOn)],
        ]}
      />
      <Paragraph>{words("emails.receipt.whatNext", { explanation: words(`requestTypes.${props.type}.explanation`) })}</Paragraph>
      <Paragraph>{words(`emails.receipt.deadline.${props.regime}`)}</Paragraph>
      <ActionButton label={words("emails.receipt.follow")} url={props.requestUrl} />
    </Frame>
  );
}

export const receiptMail = defineEmail({
  name: "receipt",
  schema,
  subject: (p) => wordsFor(p.language)("emails.receipt.subject", { reference: p.reference }),
  Body: ReceiptEmail,
});
