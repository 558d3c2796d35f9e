import { z } from "zod";
import { REGIMES } from "@/db/schema";
import { formatCalendarDate } from "@/lib/calendar/format";
import { wordsFor, type Words } from "@/lib/language/catalogue";
import { defineEmail } from "./define";
import { calendarDate, httpUrl, language, reference, requestType, text } from "./fields";
import { ActionButton, ComplaintRight, Facts, Frame, Paragraph, type MailBrand } from "./parts";

/**
 * How the request reached us, so the thanks says only what is true: the
 * person confirmed their address by our link (or was signed in); staff
 * recorded it from a letter, a call or an email; or an authorised agent
 * made it, having verified the address itself.
 */
export const RECEIPT_ARRIVALS = ["link", "post", "phone", "email", "agent"] as const;
export type ReceiptArrival = (typeof RECEIPT_ARRIVALS)[number];

const schema = z.object({
  language,
  orgName: text,
  reference,
  type: requestType,
  receivedOn: calendarDate,
  dueOn: calendarDate,
  requestUrl: httpUrl,
  regime: z.enum(REGIMES),
  // Receipts queued before this was stored all followed a confirmed link.
  arrival: z.enum(RECEIPT_ARRIVALS).default("link"),
  /**
   * The due date had passed by the day the request was recorded (a letter
   * opened late): the receipt then says so and apologises, rather than
   * promising an answer by a date already gone.
   */
  late: z.boolean().default(false),
});

type Props = z.infer<typeof schema>;

function thanks(words: Words, arrival: ReceiptArrival): string {
  if (arrival === "link") return words("emails.receipt.thanks");
  if (arrival === "agent") return words("emails.receipt.thanksAgent");
  return words("emails.receipt.thanksRecorded", { channel: arrival });
}

export function ReceiptEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  const words = wordsFor(props.language);
  const day = (date: string) => formatCalendarDate(date, props.language);
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      language={props.language}
      preview={
        props.late
          ? words("emails.receipt.late.preview", { reference: props.reference })
          : words("emails.receipt.preview", { reference: props.reference, dueOn: day(props.dueOn) })
      }
      footer={words("emails.receipt.footer", { reference: props.reference })}
    >
      <Paragraph>{thanks(words, props.arrival)}</Paragraph>
      <Facts
        language={props.language}
        rows={[
          [words("emails.receipt.reference"), props.reference],
          [words("emails.receipt.request"), words(`requestTypes.${props.type}.label`)],
          [words("emails.receipt.received"), day(props.receivedOn)],
          [words(props.late ? "emails.receipt.late.answerBy" : "emails.receipt.answerBy"), day(props.dueOn)],
        ]}
      />
      {props.late ? (
        <>
          <Paragraph>{words("emails.receipt.whatNext", { explanation: words("emails.receipt.late.next", { dueOn: day(props.dueOn) }) })}</Paragraph>
          <ComplaintRight language={props.language} regime={props.regime} brand={brand} />
        </>
      ) : (
        <>
          <Paragraph>{words("emails.receipt.whatNext", { explanation: words(`emails.receipt.next.${props.type}`, { dueOn: day(props.dueOn) }) })}</Paragraph>
          <Paragraph>{words(`emails.receipt.deadline.${props.regime}`)}</Paragraph>
        </>
      )}
      <ActionButton language={props.language} label={words("emails.receipt.follow")} url={props.requestUrl} />
    </Frame>
  );
}

export const receiptMail = defineEmail({
  name: "receipt",
  schema,
  subject: (p) => wordsFor(p.language)("emails.receipt.subject", { reference: p.reference }),
  Body: ReceiptEmail,
});
