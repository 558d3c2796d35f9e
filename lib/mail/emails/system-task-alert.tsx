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
  /** The failure is one a later try would meet the same way: the task is not tried again until staff act. */
  stopped: z.boolean().optional(),
  staffUrl: httpUrl,
});

type Props = z.infer<typeof schema>;

/**
 * To admins, once, when an outside system (a connected database or list
 * server, a webhook) keeps failing a request's task, or at once when it
 * fails in a way trying again cannot mend (the task then waits for staff).
 * The request waits for it (an unsubscribe with no staff step too), so
 * without this nobody would look. It names the request, never the person.
 */
export function SystemTaskAlertEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      preview={props.stopped ? `${props.system} cannot do its part of ${props.reference}.` : `${props.system} has not answered for ${props.reference}.`}
      footer="You get this because you are an admin. It is sent once per task."
    >
      {props.stopped ? (
        <Paragraph>
          {props.system} could not do its part of a request, which cannot complete until that part is done. Trying again would fail the same way, so Rightsdesk has
          stopped trying. Put the cause right in the system or its connection and map, then press Try again on the request page; or do the work there by hand
          and mark the task done.
        </Paragraph>
      ) : (
        <Paragraph>
          {props.system} has failed {countOf(props.attempts, "try", "tries")} at its part of a request, which cannot complete until it answers. Rightsdesk keeps
          trying (every hour at the longest); the request page shows each answer.
        </Paragraph>
      )}
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
  subject: (p) =>
    p.stopped
      ? `An outside system cannot do its part of ${p.reference} (${requestTypeLabel(p.type)}): not tried again`
      : `An outside system has not answered for ${p.reference} (${requestTypeLabel(p.type)})`,
  Body: SystemTaskAlertEmail,
});
