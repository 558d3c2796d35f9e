import { describe, expect, it } from "vitest";
import type { RenderedMail } from "./layout";
import { cancellationMail, confirmRequestMail, receiptMail, signInMail } from "./templates";

const LINK = "http://127.0.0.1:3999/api/auth/callback/email?callbackUrl=http%3A%2F%2F127.0.0.1%3A3999%2Frequests&token=abc123&email=ann%40example.org";
const REQUEST_URL = "http://127.0.0.1:3999/requests/RD-7K3Q-9XWM";

function templates(orgName: string): Array<[string, RenderedMail, string]> {
  return [
    ["confirm request", confirmRequestMail({ orgName, link: LINK, type: "erasure", linkMinutes: 30 }), LINK],
    ["sign in", signInMail({ orgName, link: LINK, linkMinutes: 30 }), LINK],
    [
      "receipt",
      receiptMail({
        orgName,
        reference: "RD-7K3Q-9XWM",
        type: "access",
        receivedOn: "2026-11-22",
        dueOn: "2026-12-22",
        requestUrl: REQUEST_URL,
        regime: "gdpr",
      }),
      REQUEST_URL,
    ],
    ["cancellation", cancellationMail({ orgName, reference: "RD-7K3Q-9XWM", type: "concern", requestUrl: REQUEST_URL }), REQUEST_URL],
  ];
}

describe("mail templates", () => {
  it.each(templates("Test Org"))("%s: one-line subject, button address in the text part", (_name, mail, buttonUrl) => {
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.subject.trim()).toBe(mail.subject);
    expect(mail.text.split("\n")).toContain(buttonUrl);
    expect(mail.html).toContain(`href="${buttonUrl.replace(/&/g, "&amp;")}"`);
  });

  it.each(templates(`Evil <script>alert(1)</script> "><img src=x onerror=alert(1)> Org`))(
    "%s: escapes everything it is given in the HTML part",
    (_name, mail) => {
      expect(mail.html).not.toMatch(/<script|<img/i);
      expect(mail.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    },
  );

  it("states the received and due dates in words in the receipt", () => {
    const [, receipt] = templates("Test Org")[2]!;
    expect(receipt.text).toContain("Received: 22 November 2026");
    expect(receipt.text).toContain("We will answer by: 22 December 2026");
    expect(receipt.subject).toBe("We have received your request RD-7K3Q-9XWM");
  });

  it("tells a ccpa requester about 45 days, and a gdpr one about a calendar month", () => {
    const input = {
      orgName: "Test Org",
      reference: "RD-7K3Q-9XWM",
      type: "access" as const,
      receivedOn: "2026-11-07",
      dueOn: "2026-12-22",
      requestUrl: REQUEST_URL,
    };
    expect(receiptMail({ ...input, regime: "ccpa" }).text).toContain("45 days");
    expect(receiptMail({ ...input, regime: "gdpr" }).text).toContain("one calendar month");
  });
});
