import { requestTypeLabel } from "@/lib/vocabulary/request-types";
import { formatCalendarDate } from "@/lib/calendar/format";
import { z } from "zod";
import { REQUEST_CHANNELS } from "@/db/schema";
import { defineEmail } from "./define";
import { calendarDate, httpUrl, reference, requestType, text } from "./fields";
import { ActionButton, Facts, Frame, Paragraph, type MailBrand } from "./parts";

const schema = z.object({
  orgName: text,
  reference,
  type: requestType,
  channel: z.enum(REQUEST_CHANNELS),
  receivedOn: calendarDate,
  dueOn: calendarDate,
  staffUrl: httpUrl,
  /** True when the request was assigned to the recipient as it arrived. */
  assignedToYou: z.boolean(),
});

type Props = z.infer<typeof schema>;

const CHANNEL_WORDS = { web: "the web form", post: "post", phone: "phone", email: "email" } as const;

/** To staff. It names the request, never the requester: personal data stays in the portal. */
export function NewRequestEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      preview={`Due ${formatCalendarDate(props.dueOn)}.`}
      footer={
        props.assignedToYou
          ? "New requests are assigned to you as they arrive (the NEW_REQUEST_NOTICE setting)."
          : "Every staff member is told of each new request (the NEW_REQUEST_NOTICE setting)."
      }
    >
      <Paragraph>
        {props.assignedToYou ? "A new request has arrived and is assigned to you." : "A new request has arrived and nobody is working on it yet."}
      </Paragraph>
      <Facts
        rows={[
          ["Reference", props.reference],
          ["Request", requestTypeLabel(props.type)],
          ["Came by", CHANNEL_WORDS[props.channel]],
          ["Received", formatCalendarDate(props.receivedOn)],
          ["Answer by", formatCalendarDate(props.dueOn)],
        ]}
      />
      <ActionButton label="Open the request" url={props.staffUrl} />
    </Frame>
  );
}

export const newRequestNoticeMail = defineEmail({
  name: "new-request",
  toStaff: true,
  schema,
  subject: (p) => `${p.assignedToYou ? "Assigned to you" : "New request"}: ${p.reference} (${requestTypeLabel(p.type)})`,
  Body: NewRequestEmail,
});
