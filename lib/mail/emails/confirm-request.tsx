import { requestTypeLabel } from "@/lib/vocabulary/request-types";
import { z } from "zod";
import { defineEmail } from "./define";
import { httpUrl, requestType, text } from "./fields";
import { ActionButton, Frame, IGNORE_IF_NOT_YOU, Paragraph, type MailBrand } from "./parts";

const schema = z.object({ orgName: text, link: httpUrl, type: requestType, linkMinutes: z.number().int().positive() });

type Props = z.infer<typeof schema>;

export function ConfirmRequestEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  return (
    <Frame orgName={props.orgName} brand={brand} preview="Confirm your request." footer={IGNORE_IF_NOT_YOU}>
      <Paragraph>
        You asked us: &ldquo;{requestTypeLabel(props.type)}&rdquo;. To protect your data we need to know this email address is yours.
        Use the button below, then press &ldquo;Confirm my request&rdquo; on the page it opens; that also signs you in so you can
        follow it.
      </Paragraph>
      <ActionButton label="Confirm my request" url={props.link} />
      <Paragraph>
        The link works once and expires in {props.linkMinutes} minutes. Your request is not sent until you confirm it, and an
        unconfirmed request is deleted after 24 hours.
      </Paragraph>
    </Frame>
  );
}

export const confirmRequestMail = defineEmail({
  name: "confirm-request",
  schema,
  subject: (p) => `Confirm your request to ${p.orgName}`,
  Body: ConfirmRequestEmail,
});
