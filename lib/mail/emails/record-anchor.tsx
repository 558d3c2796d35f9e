import { z } from "zod";
import { defineEmail } from "./define";
import { text } from "./fields";
import { Facts, Frame, Paragraph, type MailBrand } from "./parts";

const schema = z.object({
  orgName: text,
  position: z.number().int().nonnegative(),
  hash: text,
  /** When it was signed, in words. */
  signedAt: text,
  /** The anchor as it stands in ANCHOR_FILE. */
  line: text,
  /** "daily" or "on demand". */
  reason: text,
});

type Props = z.infer<typeof schema>;

const signedLine = { fontSize: "13px", lineHeight: "20px", margin: "0 0 16px", fontFamily: "ui-monospace, Menlo, Consolas, monospace", wordBreak: "break-all" as const };

/**
 * To admins, daily and whenever someone runs `npm run audit:anchor`: the
 * log's head, signed. Kept in their mailboxes, it is a copy of the anchor
 * that nobody with only the database can reach.
 */
export function RecordAnchorEmail({ props, brand }: { props: Props; brand: MailBrand }) {
  return (
    <Frame
      orgName={props.orgName}
      brand={brand}
      preview={`The request log was checked and signed at event ${props.position}.`}
      footer="You get this because you are an admin. Keep it: it is one of the copies that prove the record."
    >
      <Paragraph>
        Rightsdesk checked the request log ({props.reason}), found it intact, and signed its last event with the organisation&rsquo;s key. If anyone later deletes or
        changes events up to this one, the check will say so.
      </Paragraph>
      <Facts
        rows={[
          ["Event", String(props.position)],
          ["Hash", props.hash || "none (the log is empty)"],
          ["Signed at", props.signedAt],
        ]}
      />
      <Paragraph>The signed anchor, to keep as it is:</Paragraph>
      <p style={signedLine}>{props.line}</p>
      <Paragraph>To check the record against it, an admin on the server runs: npm run audit:verify -- --anchor &apos;the line above&apos;</Paragraph>
    </Frame>
  );
}

export const recordAnchorMail = defineEmail({
  name: "record-anchor",
  toStaff: true,
  schema,
  subject: (p) => `The request log at ${p.orgName} was checked and signed at event ${p.position}`,
  Body: RecordAnchorEmail,
});
