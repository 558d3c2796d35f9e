import { requestTypeLabel } from "@/lib/vocabulary/request-types";
import { formatCalendarDate } from "@/lib/calendar/format";
import type { TemplateProps } from "../template-calls";
import { ActionButton, Facts, Frame, Paragraph, type MailBrand } from "./parts";

const CHANNEL_WORDS = { web: "the web form", post: "post", phone: "phone", email: "email" } as const;

/** To staff. It names the request, never the requester: personal data stays in the portal. */
export function NewRequestEmail({ props, brand }: { props: TemplateProps<"new-request">; brand: MailBrand }) {
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
