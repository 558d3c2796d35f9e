import { Link } from "@react-email/link";
import { requestTypeLabel } from "@/lib/vocabulary/request-types";
import { formatCalendarDate } from "@/lib/calendar/format";
import { z } from "zod";
import { defineEmail } from "./define";
import { calendarDate, httpUrl, reference, requestType, text } from "./fields";
import { ActionButton, Frame, Paragraph, type MailBrand } from "./parts";
import { countOf } from "@/lib/language/plural";

const digestItem = z.object({
  reference,
  type: requestType,
  dueOn: calendarDate,
  /** Negative once overdue. */
  daysLeft: z.number().int(),
  assignee: z.string().nullable(),
  url: httpUrl,
});

export type DigestItem = z.infer<typeof digestItem>;

const schema = z.object({
  orgName: text,
  day: calendarDate,
  recipient: text,
  overdue: z.array(digestItem),
  dueSoon: z.array(digestItem),
  /** Requests left out of the lists to keep the message short. */
  more: z.number().int().nonnegative(),
  queueUrl: httpUrl,
});

type Props = z.infer<typeof schema>;

function when(item: DigestItem): string {
  if (item.daysLeft < 0) return `${countOf(-item.daysLeft, "day")} overdue`;
  if (item.daysLeft === 0) return "due today";
  return `${countOf(item.daysLeft, "day")} left`;
}

function Items({ title, items, recipient }: { title: string; items: DigestItem[]; recipient: string }) {
  if (items.length === 0) return null;
  return (
    <>
      <Paragraph>
        <strong>{title}</strong>
      </Paragraph>
      <ul style={{ margin: "0 0 16px", paddingLeft: "20px" }}>
        {items.map((item) => (
          <li key={item.reference} style={{ marginBottom: "8px", fontSize: "15px", lineHeight: "22px" }}>
            <Link href={item.url}>{item.reference}</Link> · {requestTypeLabel(item.type)} · due {formatCalendarDate(item.dueOn)} ({when(item)}) ·{" "}
            {item.assignee === null ? "not assigned" : item.assignee === recipient ? "assigned to you" : `assigned to ${item.assignee}`}
          </li>
        ))}
      </ul>
    </>
  );
}

export function DailyDigestEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      preview={`${props.overdue.length} overdue, ${props.dueSoon.length} due within 7 days.`}
      footer={`The daily digest for ${formatCalendarDate(props.day)}, sent to every staff member (the DIGEST_HOUR setting).`}
    >
      <Paragraph>These open requests are overdue or due within the next 7 days.</Paragraph>
      <Items title="Overdue" items={props.overdue} recipient={props.recipient} />
      <Items title="Due within 7 days" items={props.dueSoon} recipient={props.recipient} />
      {props.more > 0 ? <Paragraph>And {props.more} more: see the queue.</Paragraph> : null}
      <ActionButton label="Open the queue" url={props.queueUrl} />
    </Frame>
  );
}

export const dailyDigestMail = defineEmail({
  name: "daily-digest",
  toStaff: true,
  schema,
  subject: (p) => {
    const overdue = p.overdue.length;
    const soon = p.dueSoon.length;
    const parts = [overdue > 0 ? `${overdue} overdue` : null, soon > 0 ? `${soon} due within 7 days` : null].filter(Boolean);
    return `Requests needing attention at ${p.orgName}: ${parts.join(", ") || "none"}`;
  },
  Body: DailyDigestEmail,
});
