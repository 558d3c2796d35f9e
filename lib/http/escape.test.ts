import { describe, expect, it } from "vitest";
import { escapeHtml } from "./escape";

describe("escapeHtml", () => {
  it.each([
    ["plain text", "plain text"],
    ["", ""],
    ["<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
    ['"><img src=x onerror=alert(1)>', "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"],
    ["Tom & Jerry's", "Tom &amp; Jerry&#39;s"],
    ["&amp;", "&amp;amp;"],
    ["a < b > c", "a &lt; b &gt; c"],
    ["https://x.org/?a=1&b=2", "https://x.org/?a=1&amp;b=2"],
    ["ünïcödé ✓", "ünïcödé ✓"],
  ])("%j → %j", (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });

  it("leaves no character that can open a tag, end an attribute or start an entity", () => {
    const escaped = escapeHtml(`<>"'&`.repeat(3));
    expect(escaped.replace(/&(amp|lt|gt|quot|#39);/g, "")).toBe("");
  });
});
