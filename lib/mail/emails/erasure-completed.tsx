import { z } from "zod";
import { wordsFor } from "@/lib/language/catalogue";
import { defineEmail } from "./define";
import { alsoReferences, httpUrl, language, reference, text, signedReceipt, regime } from "./fields";
import { AlsoAnswers, ComplaintRight, Facts, Frame, Paragraph, SignedReceipt, type MailBrand } from "./parts";

/**
 * `kept` says, in the email's language, what the law made the organisation keep in Rightsdesk and why;
 * `keptElsewhere`, what each connected system kept (the records its map keeps, and the rows it keeps anonymised),
 * as the signed receipt names them.
 */
const schema = z.object({
  language,
  regime,
  orgName: text,
  reference,
  kept: z.array(z.object({ what: text, why: text })),
  keptElsewhere: z.array(z.object({ what: text, why: text })).default([]),
  requestUrl: httpUrl,
  receipt: signedReceipt,
  alsoReferences,
});

type Props = z.infer<typeof schema>;

export function ErasureCompletedEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  const words = wordsFor(props.language);
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      language={props.language}
      preview={words("emails.completion.preview", { reference: props.reference })}
      footer={words("emails.erasureCompleted.footer", { reference: props.reference })}
    >
      <Paragraph>{words("emails.erasureCompleted.done")}</Paragraph>
      {props.kept.length > 0 ? (
        <>
          <Paragraph>{words(props.keptElsewhere.length > 0 ? "emails.erasureCompleted.keptHere" : "emails.erasureCompleted.kept")}</Paragraph>
          <Facts language={props.language} rows={props.kept.map((k) => [k.what, k.why] as const)} />
        </>
      ) : null}
      {props.keptElsewhere.length > 0 ? (
        <>
          <Paragraph>{words("emails.erasureCompleted.keptElsewhere.lead")}</Paragraph>
          <Facts language={props.language} rows={props.keptElsewhere.map((k) => [k.what, k.why] as const)} />
        </>
      ) : null}
      <Paragraph>{words("emails.erasureCompleted.pageGone")}</Paragraph>
      <AlsoAnswers references={props.alsoReferences} language={props.language} />
      <ComplaintRight language={props.language} regime={props.regime} brand={brand} />
      <SignedReceipt receipt={props.receipt} brand={brand} language={props.language} />
    </Frame>
  );
}

export const erasureCompletedMail = defineEmail({
  name: "erasure-completed",
  schema,
  subject: (p) => wordsFor(p.language)("emails.completion.subject", { reference: p.reference }),
  Body: ErasureCompletedEmail,
});
