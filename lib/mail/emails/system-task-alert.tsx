import { requestTypeLabel } from "@/lib/vocabulary/request-types";
import { z } from "zod";
import { defineEmail } from "./define";
import { httpUrl, reference, requestType, text } from "./fields";
import { ActionButton, Facts, Frame, Paragraph, type MailBrand } from "./parts";
import { countOf } from "@/lib/language/plural";

const schema = z.object({
  orgName: text,
  reference,
  type: requestType,
  /** The connected system as the admins named it. */
  system: text,
  /** Rightsdesk's own fixed sentence for the failure, never what the system wrote. */
  reason: text,
  attempts: z.number().int().positive(),
  staffUrl: httpUrl,
});

type Props = z.infer<typeof schema>;

/**
 * To admins, once, when an outside system (a connected database or list
 * server, a webhook) keeps failing a request's task.
 * The request waits for it (an unsubscribe with no staff step too), so
 * without this nobody would look. It names the request, never the person.
 */
export function SystemTaskAlertEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  return (
    <Frame orgName={props.orgName} brand={brand} preview={`${props.system} has not answered for ${props.reference}.`} footer="You get this because you are an admin. It is sent once per task.">
      <Paragraph>
        {props.system} has failed {countOf(props.attempts, "try", "tries")} at its part of a request, which cannot complete until it answers. Rightsdesk keeps
        trying (every hour at the longest); the request page shows each answer.
      </Paragraph>
      <Facts
        rows={[
          ["Reference", props.reference],
          ["Request", requestTypeLabel(props.type)],
          ["System", props.system],
          ["Last answer", props.reason],
        ]}
      />
      <ActionButton label="Open the request" url={props.staffUrl} />
    </Frame>
  );
}

export const systemTaskAlertMail = defineEmail({
  name: "system-task-alert",
  toStaff: true,
  schema,
  subject: (p) => `An outside system has not answered for ${p.reference} (${requestTypeLabel(p.type)})`,
  Body: SystemTaskAlertEmail,
});
