import { z } from "zod";
import { wordsFor } from "@/lib/language/catalogue";
import { formattingLocale, type Language } from "@/lib/language/languages";
import { defineEmail } from "./define";
import { httpUrl, language, reference, text, signedReceipt } from "./fields";
import { ActionButton, Frame, Paragraph, SignedReceipt, type MailBrand } from "./parts";

const schema = z.object({
  language,
  orgName: text,
  reference,
  /** Every list: the subscriptions ended. Some lists: how many of them the address was on. */
  lists: z.number().int().nonnegative(),
  /** The titles of the lists left, when the request named some; absent for every list. */
  only: z.array(text).min(1).optional(),
  requestUrl: httpUrl,
  receipt: signedReceipt,
});

type Props = z.infer<typeof schema>;

/** "“Appeals” and “Events”", quoted and joined as the language does it. */
function listTitles(titles: string[], lang: Language): string {
  const words = wordsFor(lang);
  return new Intl.ListFormat(formattingLocale(lang), { type: "conjunction" }).format(titles.map((title) => words("emails.unsubscribed.quoted", { title })));
}

export function UnsubscribedEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  const words = wordsFor(props.language);
  const count = props.only?.length ?? 0;
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      language={props.language}
      preview={props.only ? words("emails.unsubscribed.previewSome", { count }) : words("emails.unsubscribed.preview")}
      footer={words("emails.common.reference", { reference: props.reference })}
    >
      <Paragraph>
        {props.only
          ? words("emails.unsubscribed.takenSome", { count, lists: listTitles(props.only, props.language) })
          : words("emails.unsubscribed.taken", { lists: props.lists })}
      </Paragraph>
      <Paragraph>{words("emails.unsubscribed.still")}</Paragraph>
      <ActionButton language={props.language} label={words("emails.unsubscribed.button")} url={props.requestUrl} />
      <SignedReceipt receipt={props.receipt} brand={brand} language={props.language} />
    </Frame>
  );
}

export const unsubscribedMail = defineEmail({
  name: "unsubscribed",
  schema,
  subject: (p) =>
    p.only
      ? wordsFor(p.language)("emails.unsubscribed.subjectSome", { count: p.only.length, reference: p.reference })
      : wordsFor(p.language)("emails.unsubscribed.subject", { reference: p.reference }),
  Body: UnsubscribedEmail,
});
