import { z } from "zod";
import { defineEmail } from "./define";
import { text } from "./fields";
import { Frame, Paragraph, Quote, type MailBrand } from "./parts";

const schema = z.object({
  orgName: text,
  /** Which job stopped, e.g. "The anchor of the request log": fixed words, never typed. */
  job: text,
  problem: text,
});

type Props = z.infer<typeof schema>;

/** To admins, when a daily job of the record (the anchor, the backup, retention) stopped because something is wrong. */
export function RecordAlertEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  return (
    <Frame orgName={props.orgName} brand={brand} preview={`${props.job} stopped: the record needs an admin.`} footer="You get this because you are an admin.">
      <Paragraph>{props.job} stopped. This is what it found:</Paragraph>
      <Quote text={props.problem} />
      <Paragraph>
        Nothing was signed or replaced. On the server, npm run audit:verify names the first problem; if the record was changed behind its back, restore the newest
        backup that verifies (npm run restore -- FILE) and keep the current database for investigation.
      </Paragraph>
    </Frame>
  );
}

export const recordAlertMail = defineEmail({
  name: "record-alert",
  toStaff: true,
  schema,
  subject: (p) => `The record at ${p.orgName} needs an admin: ${p.job.toLowerCase()} stopped`,
  Body: RecordAlertEmail,
});
