import { describe, expect, it } from "vitest";
import { figureRowsHtml, type FigureRow } from "./table-rows";

describe("figureRowsHtml", () => {
  it.each<[string, FigureRow[], string]>([
    ["no rows", [], ""],
    ["a month's figures", [{ header: "May 2026", cells: ["1,204", "98", "3"] }], '<tr><th scope="row">May 2026</th><td>1,204</td><td>98</td><td>3</td></tr>'],
    ["an empty cell stays an empty cell", [{ header: "All 12 months", cells: ["5", "", "7"] }], '<tr><th scope="row">All 12 months</th><td>5</td><td></td><td>7</td></tr>'],
    ["a muted text", [{ header: "June 2026", cells: [{ muted: "none closed" }] }], '<tr><th scope="row">June 2026</th><td><span class="muted">none closed</span></td></tr>'],
    ["a row without cells", [{ header: "July 2026", cells: [] }], '<tr><th scope="row">July 2026</th></tr>'],
    [
      "rows one after the other, in order",
      [
        { header: "Jan 2026", cells: ["1"] },
        { header: "Feb 2026", cells: ["2"] },
      ],
      '<tr><th scope="row">Jan 2026</th><td>1</td></tr><tr><th scope="row">Feb 2026</th><td>2</td></tr>',
    ],
    [
      "markup in a header is text",
      [{ header: '<img src=x onerror="alert(1)">', cells: ["0"] }],
      '<tr><th scope="row">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</th><td>0</td></tr>',
    ],
    [
      "markup in a cell is text",
      [{ header: "May 2026", cells: ["</td></tr><script>alert('x')</script>"] }],
      '<tr><th scope="row">May 2026</th><td>&lt;/td&gt;&lt;/tr&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</td></tr>',
    ],
    [
      "markup in a muted text is text",
      [{ header: "May 2026", cells: [{ muted: "a & b <b>" }] }],
      '<tr><th scope="row">May 2026</th><td><span class="muted">a &amp; b &lt;b&gt;</span></td></tr>',
    ],
    ["an entity is not decoded twice", [{ header: "&amp;", cells: ["&lt;"] }], '<tr><th scope="row">&amp;amp;</th><td>&amp;lt;</td></tr>'],
    ["non-ASCII stays as it is", [{ header: "März 2026", cells: ["1 204"] }], '<tr><th scope="row">März 2026</th><td>1 204</td></tr>'],
  ])("%s", (_label, rows, expected) => {
    expect(figureRowsHtml(rows)).toBe(expected);
  });
});
