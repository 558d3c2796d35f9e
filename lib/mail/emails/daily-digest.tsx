import { Link } from "@react-email/components";
import { requestTypeLabel } from "@/lib/vocabulary/request-types";
import { formatCalendarDate } from "@/lib/calendar/format";
import type { DigestItem, TemplateProps } from "../template-calls";
import { ActionButton, Frame, Paragraph, type MailBrand } from "./parts";
import { countOf } from "@/lib/language/plural";

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

export function DailyDigestEmail({ props, brand }: { props: TemplateProps<"daily-digest">; brand: MailBrand }) {
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
