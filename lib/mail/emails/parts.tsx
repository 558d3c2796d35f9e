/**
 * The frame every message shares and the few blocks messages are made of.
 * Everything is passed as React children or attributes, so React escapes it:
 * no string here is ever inserted as HTML.
 */
// Each part from its own package: the collection package also loads parts no message uses (a code block with every
// grammar of its highlighter, Tailwind), which cost every command that can queue mail half a second to start.
import { Body } from "@react-email/body";
import { Button } from "@react-email/button";
import { Container } from "@react-email/container";
import { Head } from "@react-email/head";
import { Hr } from "@react-email/hr";
import { Html } from "@react-email/html";
import { Img } from "@react-email/img";
import { Link } from "@react-email/link";
import { Preview } from "@react-email/preview";
import { Section } from "@react-email/section";
import { Text } from "@react-email/text";
import { Fragment, type ReactNode } from "react";
import { wordsFor } from "@/lib/language/catalogue";
import { complaintRight } from "@/lib/language/complaint-right";
import { BASE_LANGUAGE, textDirection, type Language } from "@/lib/language/languages";
import type { Regime } from "@/db/schema";

/** What every message shows about the organisation, from the settings when it is sent. */
export type MailBrand = {
  contactEmail: string;
  logoUrl: string | null;
  /** The portal's public address, no trailing slash. */
  appUrl: string;
  /** The authority supporters may complain to, as the organisation names it (COMPLAINT_AUTHORITY); absent or null: the regime's sentence. */
  complaintAuthority?: string | null;
  /**
   * The recipient's own links in the footer, signed by the worker for this
   * message: their preference page, and leaving every list. Absent, the
   * footer has neither (a message rendered outside the worker).
   */
  choices?: FooterChoices | null;
  /** Mail to staff about their work: no "Questions? Write to us" line, whose address is the organisation's own. */
  toStaff?: boolean;
};

export type FooterChoices = { preferencesUrl: string; unsubscribeAllUrl: string };

const page = {
  margin: 0,
  padding: "24px 0",
  backgroundColor: "#f3f4f6",
  color: "#111827",
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
};
const card = { maxWidth: "560px", backgroundColor: "#ffffff", padding: "24px", borderRadius: "8px" };
const paragraph = { fontSize: "16px", lineHeight: "24px", margin: "0 0 16px" };
const small = { fontSize: "13px", lineHeight: "20px", color: "#4b5563", margin: "0 0 8px" };

/** The colon that ends a label in the message's language ("Label:", French "Libellé :", with a no-break space). */
function labelColon(language: Language): string {
  return wordsFor(language)("formBits.colon").trimEnd();
}

export function Frame({
  orgName,
  brand,
  preview,
  footer,
  children,
  language = BASE_LANGUAGE,
}: {
  orgName: string;
  brand: MailBrand;
  /** The language the message is written in (staff messages: English). */
  language?: Language;
  /** The line mail programs show next to the subject. */
  preview: string;
  /** Small print specific to this message, such as its reference. */
  footer: ReactNode;
  children: ReactNode;
}) {
  const words = wordsFor(language);
  return (
    <Html lang={language} dir={textDirection(language)}>
      <Head />
      <Preview>{preview}</Preview>
      <Body style={page}>
        <Container style={card}>
          <Section>
            {brand.logoUrl ? <Img src={brand.logoUrl} alt={orgName} height="48" style={{ marginBottom: "8px" }} /> : null}
            <Text style={{ fontSize: "18px", fontWeight: 700, margin: "0 0 24px" }}>{orgName}</Text>
          </Section>
          {children}
          <Hr style={{ borderColor: "#e5e7eb", margin: "24px 0 12px" }} />
          <Text style={small}>{footer}</Text>
          {brand.choices ? (
            <Text style={small}>
              {words.rich("emails.footer.choices", {
                orgName,
                choices: (chunks) => <Link href={brand.choices!.preferencesUrl}>{chunks}</Link>,
                all: (chunks) => <Link href={brand.choices!.unsubscribeAllUrl}>{chunks}</Link>,
              })}
            </Text>
          ) : null}
          {brand.toStaff ? null : (
            <Text style={small}>
              {words.rich("emails.common.questions", {
                contact: brand.contactEmail,
                link: (chunks) => <Link href={`mailto:${brand.contactEmail}`}>{chunks}</Link>,
              })}
            </Text>
          )}
          <Text style={small}>
            {orgName} · <Link href={brand.appUrl}>{brand.appUrl}</Link>
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

export function Paragraph({ children }: { children: ReactNode }) {
  return <Text style={paragraph}>{children}</Text>;
}

/** Keeps the writer's line breaks in both parts. */
function Lines({ text }: { text: string }) {
  const lines = text.split(/\r?\n/);
  return (
    <>
      {lines.map((line, i) => (
        <Fragment key={i}>
          {i > 0 ? <br /> : null}
          {line}
        </Fragment>
      ))}
    </>
  );
}

/**
 * Words someone wrote (staff or supporter), shown as a quotation. Mail
 * programs ignore logical CSS properties, so its rule is drawn on the side
 * where lines start in the message's language.
 */
export function Quote({ text, language = BASE_LANGUAGE }: { text: string; language?: Language }) {
  const rule = textDirection(language) === "rtl" ? { borderRight: "4px solid #d1d5db" } : { borderLeft: "4px solid #d1d5db" };
  return (
    <blockquote style={{ ...paragraph, padding: "8px 12px", ...rule }}>
      <Lines text={text} />
    </blockquote>
  );
}

/** Label and value pairs; in the text part each reads "Label: value" (in French "Libellé : valeur"). */
export function Facts({ rows, language = BASE_LANGUAGE }: { rows: ReadonlyArray<readonly [string, string]>; /** The message's (staff messages: English). */ language?: Language }) {
  const colon = labelColon(language);
  return (
    <Text style={paragraph}>
      {rows.map(([label, value], i) => (
        <Fragment key={label}>
          {i > 0 ? <br /> : null}
          <strong>
            {label}
            {colon}
          </strong>{" "}
          {value}
        </Fragment>
      ))}
    </Text>
  );
}

/**
 * A button, then the same address written out: the fallback for mail
 * programs that break buttons, and what the text part shows ("Label:" and
 * the address on its own line).
 */
export function ActionButton({ label, url, language = BASE_LANGUAGE }: { label: string; url: string; /** The message's (staff messages: English). */ language?: Language }) {
  const colon = labelColon(language);
  return (
    <>
      <Button
        href={url}
        data-skip-in-text="true"
        style={{
          display: "inline-block",
          backgroundColor: "#1d4ed8",
          color: "#ffffff",
          padding: "12px 20px",
          borderRadius: "6px",
          fontWeight: 600,
          textDecoration: "none",
          margin: "0 0 8px",
        }}
      >
        {label}
      </Button>
      <Text style={small}>
        {label}
        {colon}
        <br />
        <Link href={url} style={{ wordBreak: "break-all" }}>
          {url}
        </Link>
      </Text>
    </>
  );
}

/**
 * The right to complain, as every email that closes a request states it: to the authority the organisation names
 * (the brand's), else to the authority of the request's regime.
 */
export function ComplaintRight({ language, regime, brand }: { language: Language; regime: Regime; brand: MailBrand }) {
  return <Paragraph>{complaintRight(language, regime, brand.complaintAuthority)}</Paragraph>;
}

const receiptText = {
  fontSize: "13px",
  lineHeight: "20px",
  margin: "0 0 16px",
  padding: "12px",
  backgroundColor: "#f9fafb",
  border: "1px solid #e5e7eb",
  fontFamily: "ui-monospace, Menlo, Consolas, monospace",
  overflowWrap: "anywhere" as const,
};

/**
 * The signed receipt at the end of a closing email, line by line as signed,
 * with where anyone can check it. Nothing in it was typed by anyone but the
 * organisation's admins (the names of outside systems), and React escapes it.
 * The words around it are in the message's language; the receipt itself is
 * the document that was signed, and is shown exactly as signed.
 */
export function SignedReceipt({ receipt, brand, language = BASE_LANGUAGE }: { receipt: string | null | undefined; brand: MailBrand; language?: Language }) {
  if (!receipt) return null;
  const words = wordsFor(language);
  const verifyUrl = `${brand.appUrl}/verify`;
  return (
    <>
      <Text style={{ ...paragraph, fontWeight: 700, margin: "24px 0 8px" }}>{words("emails.receipt.signedHeading")}</Text>
      <Paragraph>
        {words.rich("emails.receipt.signedExplained", { url: verifyUrl, link: (chunks) => <Link href={verifyUrl}>{chunks}</Link> })}
      </Paragraph>
      <Text style={receiptText} lang="en">
        <Lines text={receipt} />
      </Text>
    </>
  );
}

/**
 * The references of the supporter's requests merged into this one: the one
 * message that closes it answers them too, so they are named in it.
 */
export function AlsoAnswers({ references, language = BASE_LANGUAGE }: { references: readonly string[]; language?: Language }) {
  if (references.length === 0) return null;
  return <Paragraph>{wordsFor(language)("emails.common.alsoAnswers", { count: references.length, references: references.join(", ") })}</Paragraph>;
}
