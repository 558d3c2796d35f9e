import { z } from "zod";
import { formatCalendarDate } from "@/lib/calendar/format";
import { wordsFor } from "@/lib/language/catalogue";
import { defineEmail } from "./define";
import { calendarDate, httpUrl, language, reference, text, regime } from "./fields";
import { ActionButton, ComplaintRight, Facts, Frame, Paragraph, Quote, type MailBrand } from "./parts";

const schema = z.object({ language, regime, orgName: text, reference, reason: text, newDueOn: calendarDate, requestUrl: httpUrl });

type Props = z.infer<typeof schema>;

export function ExtensionEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  const words = wordsFor(props.language);
  const newDue = formatCalendarDate(props.newDueOn, props.language);
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      language={props.language}
      preview={words("emails.extension.preview", { dueOn: newDue })}
      footer={words("emails.common.reference", { reference: props.reference })}
    >
      <Paragraph>{words("emails.extension.sorry")}</Paragraph>
      <Quote text={props.reason} language={props.language} />
      <Facts language={props.language} rows={[[words("emails.extension.newDue"), newDue]]} />
      <ComplaintRight language={props.language} regime={props.regime} brand={brand} />
      <ActionButton language={props.language} label={words("emails.extension.button")} url={props.requestUrl} />
    </Frame>
  );
}

export const extensionMail = defineEmail({
  name: "extension",
  schema,
  subject: (p) => wordsFor(p.language)("emails.extension.subject", { reference: p.reference }),
  Body: ExtensionEmail,
});
