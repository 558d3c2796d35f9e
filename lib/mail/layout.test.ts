import { describe, expect, it } from "vitest";
import { escapeHtml } from "./escape";
import { renderMail, type MailBlock } from "./layout";

const HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "' onmouseover='alert(1)", "</p><a href=//evil.com>"];

describe("renderMail", () => {
  it.each(HOSTILE)("never puts %j unescaped into the HTML, wherever it appears", (evil) => {
    const blocks: MailBlock[] = [
      { kind: "paragraph", text: `Before ${evil} after` },
      { kind: "quote", text: `Line one\n${evil}` },
      { kind: "facts", rows: [[evil, evil]] },
      { kind: "button", label: evil, url: `https://example.org/?q=${evil}` },
    ];
    const mail = renderMail({ subject: `Subject ${evil}`, orgName: `Org ${evil}`, blocks, footer: `Footer ${evil}` });

    expect(mail.html).not.toContain(evil);
    expect(mail.html).toContain(escapeHtml(evil));
    expect(mail.html).not.toMatch(/<script|<img|<a href=\/\//i);
    // No attribute can be broken out of: each link is exactly href + style.
    for (const [anchor] of mail.html.matchAll(/<a [^>]*>/g)) {
      expect(anchor).toMatch(/^<a href="[^"<>]*" style="[^"<>]*">$/);
    }
    // The only tags are the layout's own.
    const tags = new Set([...mail.html.matchAll(/<\/?([a-z0-9!]+)/gi)].map((m) => m[1]!.toLowerCase()));
    expect([...tags].sort()).toEqual(
      ["!doctype", "a", "blockquote", "body", "br", "div", "head", "hr", "html", "meta", "p", "table", "td", "th", "title", "tr"].sort(),
    );
    // The text part is plain text and keeps what was written.
    expect(mail.text).toContain(evil);
  });

  it("puts each button's address on its own line in the text part, and in the HTML link", () => {
    const url = "http://127.0.0.1:3999/api/auth/callback/email?callbackUrl=x&token=abc&email=a%40b.org";
    const mail = renderMail({
      subject: "S",
      orgName: "Test Org",
      blocks: [{ kind: "button", label: "Sign in", url }],
      footer: "F",
    });
    expect(mail.text.split("\n")).toContain(url);
    expect(mail.text).toContain(`Sign in:\n${url}`);
    expect(mail.html).toContain(`href="${escapeHtml(url)}"`);
  });

  it("quotes each line of a quote block in the text part", () => {
    const mail = renderMail({ subject: "S", orgName: "O", blocks: [{ kind: "quote", text: "one\ntwo" }], footer: "F" });
    expect(mail.text).toContain("> one\n> two");
  });
});
