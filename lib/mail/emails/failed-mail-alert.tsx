import { z } from "zod";
import { defineEmail } from "./define";
import { httpUrl, text } from "./fields";
import { ActionButton, Frame, Paragraph, type MailBrand } from "./parts";
import { countOf } from "@/lib/language/plural";

const schema = z.object({
  orgName: text,
  count: z.number().int().positive(),
  maxAttempts: z.number().int().positive(),
  messages: z.array(z.object({ subject: text, to: text, attempts: z.number().int(), lastError: text.nullable() })),
  mailUrl: httpUrl,
});

type Props = z.infer<typeof schema>;

/** To admins, when messages keep failing. Rightsdesk keeps trying; this asks someone to look. */
export function FailedMailAlertEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      preview="Some emails could not be delivered."
      footer="You get this because you are an admin. At most one such alert is sent an hour."
    >
      <Paragraph>
        {props.count === 1 ? "One email" : `${props.count} emails`} could not be delivered after {countOf(props.maxAttempts, "try", "tries")}. Rightsdesk keeps retrying unless the mail server refused a message outright;
        you can retry at once from the dashboard.
      </Paragraph>
      <ul style={{ margin: "0 0 16px", paddingLeft: "20px" }}>
        {props.messages.map((m, i) => (
          <li key={i} style={{ marginBottom: "8px", fontSize: "15px", lineHeight: "22px" }}>
            &ldquo;{m.subject}&rdquo; to {m.to}, {countOf(m.attempts, "try", "tries")}
            {m.lastError ? `; last error: ${m.lastError}` : ""}
          </li>
        ))}
      </ul>
      <ActionButton label="See undelivered mail" url={props.mailUrl} />
    </Frame>
  );
}

export const failedMailAlertMail = defineEmail({
  name: "failed-mail-alert",
  toStaff: true,
  schema,
  subject: (p) => `${countOf(p.count, "email")} from ${p.orgName} could not be delivered`,
  Body: FailedMailAlertEmail,
});
