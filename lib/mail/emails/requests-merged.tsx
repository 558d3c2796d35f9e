import { requestTypeLabel } from "@/lib/vocabulary/request-types";
import { z } from "zod";
import { defineEmail } from "./define";
import { httpUrl, reference, requestType, text } from "./fields";
import { ActionButton, Frame, Paragraph, type MailBrand } from "./parts";

const schema = z.object({
  orgName: text,
  /** The earlier request, which goes on and answers both. */
  reference,
  /** The later request, joined with it. */
  merged: reference,
  type: requestType,
  requestUrl: httpUrl,
});

type Props = z.infer<typeof schema>;

/**
 * To a supporter who asked for the same thing twice, once, when staff join
 * the two: which request goes on, and that one answer will cover both.
 */
export function RequestsMergedEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  return (
    <Frame orgName={props.orgName} brand={brand} preview={`Your requests ${props.merged} and ${props.reference} are now one.`} footer={`Reference ${props.reference}.`}>
      <Paragraph>
        You asked us twice for the same thing: &ldquo;{requestTypeLabel(props.type)}&rdquo;, in request {props.reference} and again in request{" "}
        {props.merged}. We have joined them, so that you get one answer.
      </Paragraph>
      <Paragraph>
        We are now working on {props.reference}. When we answer it, that answer covers {props.merged} too, and both are closed together. You do not need
        to do anything.
      </Paragraph>
      <ActionButton label="See your requests" url={props.requestUrl} />
    </Frame>
  );
}

export const requestsMergedMail = defineEmail({
  name: "requests-merged",
  schema,
  subject: (p) => `Your requests ${p.merged} and ${p.reference} are now one`,
  Body: RequestsMergedEmail,
});
