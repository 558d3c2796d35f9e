import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { makeTempDir, removeTempDir } from "@/lib/testing/temp-database";
import { buildIfStale } from "./build-fingerprint";

// A project whose `next build` is a stub: it writes .next/BUILD_ID and exits with $STUB_EXIT.
let root: string;
beforeEach(() => {
  root = makeTempDir("rightsdesk-build-");
  fs.writeFileSync(path.join(root, "package.json"), "{}");
  fs.mkdirSync(path.join(root, "app"));
  fs.writeFileSync(path.join(root, "app", "page.tsx"), "export default 1;\n");
  const bin = path.join(root, "node_modules", "next", "dist", "bin");
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(root, "node_modules", "next", "package.json"), "{}");
  fs.writeFileSync(
    path.join(bin, "next"),
    `const fs = require("node:fs");
fs.mkdirSync(".next", { recursive: true });
fs.writeFileSync(".next/BUILD_ID", process.env.NODE_ENV);
fs.appendFileSync("builds", "1");
process.exit(Number(process.env.STUB_EXIT));
`,
  );
  vi.spyOn(console, "log").mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
  removeTempDir(root);
});

const builds = () => (fs.existsSync(path.join(root, "builds")) ? fs.readFileSync(path.join(root, "builds"), "utf8").length : 0);

describe("buildIfStale", () => {
  it("builds once in production mode, announcing it, then not again until a source changes", () => {
    expect(buildIfStale(root, { STUB_EXIT: "0" }, "Building…")).toEqual({ ok: true, built: true });
    expect(console.log).toHaveBeenCalledWith("Building…");
    expect(fs.readFileSync(path.join(root, ".next", "BUILD_ID"), "utf8")).toBe("production");
    expect(buildIfStale(root, { STUB_EXIT: "0" }, "Building…")).toEqual({ ok: true, built: false });
    expect(builds()).toBe(1);

    fs.writeFileSync(path.join(root, "app", "page.tsx"), "export default 2;\n");
    expect(buildIfStale(root, { STUB_EXIT: "0" }, "Building…")).toEqual({ ok: true, built: true });
    expect(builds()).toBe(2);
  });

  it("gives back a failed build's status and records nothing, so the next call builds again", () => {
    expect(buildIfStale(root, { STUB_EXIT: "3" }, "Building…")).toEqual({ ok: false, status: 3 });
    expect(buildIfStale(root, { STUB_EXIT: "0" }, "Building…")).toEqual({ ok: true, built: true });
    expect(builds()).toBe(2);
  });
});
